"""The plain-file engine: root discovery, YAML, atomic writes, lock, journal, IDs, git.

It knows files and folders, never office words: the kinds of record and their
workflows are handed to it by the layer above (officecli.office).
"""
