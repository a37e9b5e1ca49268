"""`marketwh extract PATH`: propose draft seed rows for every figure a report document states.

It reads the document (markup removed per line, as quotes are matched), splits it into sentences
and proposes one draft row per number: money values with currency, scale word and year, volumes
with their unit, CAGRs with their period, year-on-year growth (a decline negative), and percentage
shares, keeping qualifiers ("more than", "surpassed") and the exact sentence as the quote.

Each number is attributed from its own clause with the vocabulary seeds, subject before number: what the
sentence says it measures (a metric's display name, "Battery pack prices fell 17%", or a subject noun of
seeds/cue_words.csv: "capacity", "price" and "facility" are never the market's and such a number is
listed as not drafted, with what it is about), the metric of that series by kind (size, growth, rate,
share, share of growth), the segment or company named before it (a "By application," cue of
seeds/cue_words.csv names the dimension), what a share is of (the words after "X% of": a base cue names
a share of another base, "of all cars sold"; a base nothing names is listed: bases.py), the region it is
of ("The Asia Pacific lithium market was ...", "... of global shipments"), whom it is quoted from
("Citing the IEA ...": the cited publisher), and the year or period (in the sentence, else in the
heading above it; a change is of the year it reaches, never of its base: curation/periods.py, the
validator's rule). A sentence that points back ("That was 40.8 percent more ...") is read with the one
before and, when that gives the year or subject, quoted with it. A segment the taxonomy does not know is
drafted with its words and listed as a problem, never guessed; so is a figure it cannot read ("4.4%9%",
"USD 3.6.2 billion") or an amount no unit matches. Every other number is listed with why it is not
drafted (a year, a date, a phone or section number, a price per unit, a count without a unit word):
nothing is skipped silently. It never writes into seeds/: a person reviews the draft and copies the rows
they accept.
"""

from .document import extract_document
from .drafts import FIGURE_COLUMNS, Draft, Extraction

__all__ = ["FIGURE_COLUMNS", "Draft", "Extraction", "extract_document"]
