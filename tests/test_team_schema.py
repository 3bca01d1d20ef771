"""The team schema stays what version 7 means, and the rules cover every table."""

from __future__ import annotations

import re

from belarchive.config import db_dir
from belarchive.storage import pg_schema


def test_the_frozen_server_schema_is_what_the_models_make() -> None:
    frozen = (db_dir() / "postgresql" / "schema.sql").read_text(encoding="utf-8")
    assert frozen == pg_schema.ddl(), "run: python -m belarchive.storage.pg_schema"


def test_every_table_numbered_by_belarchive_gets_its_numbering_trigger() -> None:
    rules = (db_dir() / "postgresql" / "rules.sql").read_text(encoding="utf-8")
    numbered = re.search(
        r"ARRAY\[([^\]]*)\]\s*LOOP\s*EXECUTE format\('CREATE TRIGGER %I BEFORE "
        r"INSERT ON %I FOR EACH ROW '\s*'EXECUTE FUNCTION belarchive_next_id",
        rules,
    )
    assert numbered is not None
    listed = re.findall(r"'([a-z]+)'", numbered.group(1))
    assert set(listed) == set(pg_schema.id_tables()) - {"auditentry"}
