"""Read a PROV-JSON file with the W3C PROV reference implementation, the Python `prov`
package (2.x), and exit non-zero, saying why, if it warns about anything, if a record's id or
a link it names does not resolve (it drops blank nodes), or if a round trip changes the
document: PROV-JSON written and read again, and PROV-N written (the package reads no PROV-N).

    python3 tests/support/read_prov.py FILE.json
"""

import json
import logging
import sys
import warnings


class Refuse(logging.Handler):
    def emit(self, record):
        raise SystemExit(f"prov logged a warning: {record.getMessage()}")


def main(path):
    warnings.simplefilter("error")
    logging.getLogger("prov").addHandler(Refuse(level=logging.WARNING))
    logging.getLogger("prov").setLevel(logging.WARNING)
    import prov
    import prov.model as pm

    if not prov.__version__.startswith("2."):
        sys.exit(f"prov {prov.__version__} is not 2.x")
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    by_id = {}
    for section, records in raw.items():
        if section != "prefix":
            by_id.update(records)
    doc = pm.ProvDocument.deserialize(path, format="json")
    records = list(doc.get_records())
    if len(records) != len(by_id):
        sys.exit(f"{len(by_id)} records in the file, {len(records)} read")
    for r in records:
        if r.identifier is None:
            sys.exit(f"a record lost its id: {r.get_provn()}")
        attrs = by_id.get(str(r.identifier))
        if attrs is None:
            sys.exit(f"{r.identifier} is not an id of the file")
        for name, value in r.formal_attributes:
            if str(name) in attrs and value is None:
                sys.exit(f"{r.identifier}: {name} ({attrs[str(name)]}) did not resolve")
    again = pm.ProvDocument.deserialize(content=doc.serialize(format="json"), format="json")
    if again != doc:
        sys.exit("PROV-JSON written and read again is another document")
    provn = doc.get_provn()
    if "_:" in provn:
        sys.exit("PROV-N names a blank node")
    missing = [i for i in by_id if i not in provn]
    if missing:
        sys.exit(f"PROV-N lacks {missing[:3]}")
    print(f"read {len(records)} records with prov {prov.__version__}; round trips")


if __name__ == "__main__":
    main(sys.argv[1])
