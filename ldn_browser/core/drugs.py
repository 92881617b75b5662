"""The KB's drug vocabulary: generic names (with salts and other names) and the products that contain them.

An interaction entry lists the generic drugs it covers (``members``) and the brand, combination and
generic products marketed that contain them (``products``); ``KnowledgeBase.other_drugs`` lists drugs the
medication check recognises but the KB has no interaction entry for (so it can say "no data" rather than
"not recognised"). Every name records where it was confirmed (``source``): a label, national formulary or
regulator page. Names carried over from KB 1.1 (checked then, source not recorded per name) have none.
``KnowledgeBase.naltrexone`` declares naltrexone itself (LDN and the products that contain it): a line naming
it is the same drug as LDN, a duplicate, not an interaction.

The vocabulary is data; the words clinicians write around a drug name (doses, units, frequencies, routes,
salts, forms) are grammar and live in :mod:`ldn_browser.core.med_grammar`.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import Field, StringConstraints, model_validator

from ldn_browser.core.blocks import (
    MAX_ITEMS,
    MAX_SHORT_LIST,
    Alias,
    CrossReferenceError,
    EntityId,
    KbModel,
    Text,
    Title,
)
from ldn_browser.core.vocab import Kind, StudyDesign

Market = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$", max_length=2)]
"""Where a product is marketed: a two-letter region code (US, UK, CA, AU, EU, or an EU country such as IE)."""

Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$", max_length=600)]


class NameSource(KbModel):
    """Where a drug or product name was confirmed: a label, a national formulary or a regulator page."""

    url: Url
    title: Title
    """The page's title as seen, e.g. "Label: PERCOCET- oxycodone hydrochloride and acetaminophen tablet"."""
    checked_at: dt.date | None = None
    """When the name was confirmed on that page (None where not recorded)."""
    note: Text | None = None
    """What a reader of the source should know (e.g. the salt it names, or that it is a mirror of the label)."""


class Drug(KbModel):
    """A generic drug (a member of an interaction entry, or a recognised drug without one).

    In the KB file a bare string is shorthand for a drug with only a name.
    """

    name: Alias
    """The generic name (INN where there is one, lower case), e.g. "pethidine"."""
    synonyms: tuple[Alias, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """Other generic names for the same drug, e.g. "meperidine" (USAN) for pethidine."""
    salts: tuple[Alias, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """Salt names as written on labels, e.g. "oxycodone hydrochloride"."""
    note: Title | None = None
    """What the entry covers of it, e.g. "analgesic patch" (shown after the name)."""
    source: NameSource | None = None
    """Where the name (and its salts) was confirmed; None for names carried over from KB 1.1."""

    @model_validator(mode="before")
    @classmethod
    def _bare_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @property
    def names(self) -> tuple[str, ...]:
        """The name and its synonyms."""
        return (self.name, *self.synonyms)

    @property
    def display(self) -> str:
        """E.g. "pethidine (meperidine)" or "buprenorphine (analgesic patch)"."""
        extra = [*self.synonyms, *((self.note,) if self.note else ())]
        return f"{self.name} ({', '.join(extra)})" if extra else self.name


class Product(KbModel):
    """A brand, combination or generic product, and the generic drugs it contains."""

    name: Alias
    """As marketed, e.g. "Percocet", "co-codamol", "Tylenol with Codeine No. 3"."""
    contains: tuple[Alias, ...] = Field(min_length=1, max_length=MAX_SHORT_LIST)
    """Generic names of its active ingredients, e.g. ("oxycodone", "paracetamol")."""
    form: Title | None = None
    """Dosage form(s) as on the label, e.g. "extended-release tablet"."""
    markets: tuple[Market, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """Where it was confirmed as marketed (empty where not recorded)."""
    source: NameSource | None = None
    """Where the name and its contents were confirmed; None for names carried over from KB 1.1."""
    note: Text | None = None
    """Anything a reader of the source should know (e.g. a mirror of the label, not the regulator's page)."""

    @property
    def display(self) -> str:
        """E.g. "Percocet (oxycodone + paracetamol)"."""
        return f"{self.name} ({' + '.join(self.contains)})"


class OtherDrug(Drug):
    """A drug the medication check recognises although the KB has no interaction entry for it."""

    products: tuple[Product, ...] = Field(default=(), max_length=MAX_ITEMS)
    """Its brand and combination products (each contains this drug)."""


def check_products(members: tuple[Drug, ...], products: tuple[Product, ...], owner: str) -> None:
    """Each product contains at least one of *members* (else it belongs to another entry); names are unique.

    Raises:
        ValueError: naming the product and what is wrong.
    """
    known = {n.casefold() for m in members for n in m.names}
    seen: set[str] = set()
    for product in products:
        if not any(c.casefold() in known for c in product.contains):
            raise ValueError(
                f"{owner}: product {product.name!r} contains {', '.join(product.contains)}, none of which is a "
                f"member ({', '.join(sorted(known))}); add the member or move the product to its own entry"
            )
        if product.name.casefold() in seen:
            raise ValueError(f"{owner}: product {product.name!r} is listed twice")
        seen.add(product.name.casefold())


class Naltrexone(KbModel):
    """Naltrexone itself, the drug in LDN: its names, and the products that contain it.

    A medication line naming it is neither an interaction nor "no data": it is the same drug as LDN. What a
    finding says is KB text (``*_action``), resting on ``source_ids``; the check adds nothing of its own.
    """

    drug: Drug
    """Naltrexone: its salts and where they were confirmed."""
    ldn_names: tuple[Alias, ...] = Field(min_length=1, max_length=MAX_SHORT_LIST)
    """Names for LDN itself, e.g. "LDN", "low dose naltrexone"."""
    products: tuple[Product, ...] = Field(default=(), max_length=MAX_ITEMS)
    """Products containing naltrexone (another dose, form or a combination); each is confirmed on a label."""
    entry_id: EntityId
    """The clinical entry a finding links (e.g. standard-dose naltrexone for contrast)."""
    ldn_action: Text
    """What a line naming LDN itself says."""
    generic_action: Text
    """What a line naming naltrexone (or a salt) without saying low dose says."""
    product_action: Text
    """What a line naming a naltrexone product says: a duplicate; only what the KB can source."""
    source_ids: tuple[EntityId, ...] = Field(min_length=1, max_length=MAX_SHORT_LIST)
    """The sources the actions rest on."""

    @model_validator(mode="after")
    def _products_contain_naltrexone(self) -> Self:
        check_products((self.drug,), self.products, "naltrexone")
        return self


def check_naltrexone_links(naltrexone: Naltrexone | None, by_id: Mapping[str, Any]) -> None:
    """The linked entry exists and is not a source; the actions rest on sources that are not lay articles.

    Raises:
        CrossReferenceError: Naming the location under ``naltrexone`` and what is wrong.
    """
    if naltrexone is None:
        return
    target = by_id.get(naltrexone.entry_id)
    if target is None or getattr(target, "kind", None) in (Kind.SOURCE, Kind.CLAIM):
        raise CrossReferenceError(
            "naltrexone.entry_id", f"{naltrexone.entry_id!r} is not a clinical entry; link the entry findings open"
        )
    for k, sid in enumerate(naltrexone.source_ids):
        source = by_id.get(sid)
        if (
            getattr(source, "kind", None) is not Kind.SOURCE
            or getattr(source, "design", None) is StudyDesign.LAY_ARTICLE
        ):
            loc = f"naltrexone.source_ids[{k}]"
            raise CrossReferenceError(loc, f"{sid!r} is not a source an action can rest on")
