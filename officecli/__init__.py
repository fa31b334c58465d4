"""officecli: a small company's front office and back office as a folder of YAML files."""

__version__ = "0.1.0"

# The output formats (officecli.render draws them): here, so that the options
# naming them (--format) are defined without importing the renderer.
FORMATS = ("table", "json", "jsonl", "yaml", "csv", "csv-excel", "ids")
