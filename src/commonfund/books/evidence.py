"""Evidence (原始凭证) behind a transaction: its invoice (发票) and its documents (凭证文件).

Conventions (``docs/ledger-conventions.md``): ``invoice: "<code>-<number>"`` (or the 20-digit number of a
全电发票), ``invoice_seller: "<seller name>"``, ``invoice_date: <date>`` on the transaction; documents are
``document: "documents/…"`` metadata (a path relative to the compound folder; several separated by ``;``)
or Beancount ``document`` directives that share a link (``^link``) with the transaction or name one of its
accounts on the same date (the files Beancount finds under the ``documents`` folder).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from beancount.core import data

from commonfund.compound.model import Compound


@dataclass(frozen=True)
class Invoice:
    """A transaction's invoice.

    Attributes:
      key: The invoice code and number as written (``031002500111-00881234``).
      seller: The seller (销售方) written on it, if recorded.
      day: The invoice date (开票日期), if recorded.
    """

    key: str
    seller: str | None
    day: dt.date | None

    @property
    def normalized(self) -> str:
        return "".join(ch for ch in self.key if ch.isalnum()).upper()


def invoice_of(entry: data.Transaction) -> Invoice | None:
    meta = entry.meta or {}
    key = meta.get("invoice")
    if not key:
        return None
    day = meta.get("invoice_date")
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            day = None
    seller = meta.get("invoice_seller")
    return Invoice(str(key), str(seller) if seller else None, day if isinstance(day, dt.date) else None)


@dataclass(frozen=True)
class DocumentRef:
    """One document cited by a transaction.

    Attributes:
      path: The path as written (or the Beancount document's file name).
      file: The resolved file.
      exists: Whether the file is there.
      source: ``metadata`` or ``directive``.
    """

    path: str
    file: Path
    exists: bool
    source: str


class Evidence:
    """Resolves documents for transactions of one compound (build once per audit or export)."""

    def __init__(self, compound: Compound) -> None:
        self.root = compound.root
        self.by_link: dict[str, list[data.Document]] = defaultdict(list)
        self.by_account_day: dict[tuple[str, dt.date], list[data.Document]] = defaultdict(list)
        self.directives: list[data.Document] = []
        for entry in compound.entries:
            if isinstance(entry, data.Document):
                self.directives.append(entry)
                for link in entry.links or ():
                    self.by_link[link].append(entry)
                self.by_account_day[(entry.account, entry.date)].append(entry)
        self._exists: dict[Path, bool] = {}

    def _resolve(self, written: str) -> Path:
        path = Path(written)
        if path.is_absolute():
            return path
        candidate = self.root / path
        if not self._file_exists(candidate) and not written.startswith("documents/"):
            other = self.root / "documents" / path
            if self._file_exists(other):
                return other
        return candidate

    def _file_exists(self, path: Path) -> bool:
        if path not in self._exists:
            self._exists[path] = path.is_file()
        return self._exists[path]

    def documents(self, entry: data.Transaction) -> list[DocumentRef]:
        """Every document the transaction cites, with whether its file exists."""
        out: list[DocumentRef] = []
        written = (entry.meta or {}).get("document")
        if written:
            for part in str(written).split(";"):
                if part.strip():
                    file = self._resolve(part.strip())
                    out.append(DocumentRef(part.strip(), file, self._file_exists(file), "metadata"))
        seen: set[int] = set()
        linked = [d for link in entry.links or () for d in self.by_link.get(link, ())]
        dated = [d for p in entry.postings for d in self.by_account_day.get((p.account, entry.date), ())]
        for document in linked + dated:
            if id(document) in seen:
                continue
            seen.add(id(document))
            file = Path(document.filename)
            out.append(DocumentRef(self._relative(file), file, self._file_exists(file), "directive"))
        return out

    def has_document(self, entry: data.Transaction) -> bool:
        return any(ref.exists for ref in self.documents(entry))

    def _relative(self, file: Path) -> str:
        try:
            return file.relative_to(self.root).as_posix()
        except ValueError:
            return str(file)
