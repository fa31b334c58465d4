"""E-invoices: what a tax authority and the customer's software read.

A room of its own beside back/ and people/, over the books: it reads invoices
and credit notes (books/), customers and products (records), and office.yaml's
``einvoice:`` section; front/ (the invoice printout, ``order invoice``) and
checks/ (doctor) use it.

    facts.py     the invoice facts the law needs: type, date of supply, delivery
                 note, classifications, exemption reasons, units; what is missing
    xmlcheck.py  validation against the official XSDs and schematrons (lxml, saxonche)
    mydata.py    AADE myDATA: the InvoicesDoc XML of an invoice or credit note
    send.py      SendInvoices over HTTP, the answer stored on the record
    cii.py       EN 16931 as UN/CEFACT CII (Factur-X) and as UBL (Peppol BIS 3)
    reading.py   a supplier's Factur-X PDF or CII/UBL XML read into a bill draft
"""
