"""Engine factory, sessions, migrations. Heavy imports (SQLAlchemy, SQLModel) happen in
Store.open(), not at import, so the console can draw its first frame before paying them."""

from deskconsole.db.store import Store, StoreError

__all__ = ["Store", "StoreError"]
