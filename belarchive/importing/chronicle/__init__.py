"""Narrative chronicle import: text → proposed events (dates, figures, places, actors, tags).

Pure functions over text; nothing here touches the database. See docs/import-quality.md.
"""

from belarchive.importing.chronicle.actors import ActorLexicon, load_actor_lexicon
from belarchive.importing.chronicle.decoding import (
    DEFAULT_MAX_BYTES,
    decode_text,
    read_chronicle_file,
)
from belarchive.importing.chronicle.gazetteer import Gazetteer, load_gazetteer
from belarchive.importing.chronicle.model import (
    ChronicleReport,
    DecodedText,
    ProposedActor,
    ProposedEvent,
    ProposedFigure,
    ProposedLink,
    ProposedPlace,
    ProposedTag,
)
from belarchive.importing.chronicle.parser import parse_chronicle

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ActorLexicon",
    "ChronicleReport",
    "DecodedText",
    "Gazetteer",
    "ProposedActor",
    "ProposedEvent",
    "ProposedFigure",
    "ProposedLink",
    "ProposedPlace",
    "ProposedTag",
    "decode_text",
    "load_actor_lexicon",
    "load_gazetteer",
    "parse_chronicle",
    "read_chronicle_file",
]
