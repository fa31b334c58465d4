"""officecli: a small company's front office and back office as a folder of YAML files."""

__version__ = "0.1.0"
