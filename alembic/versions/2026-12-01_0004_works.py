"""works: reference works, images, hashes, features, item content

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 07:06:23.531128
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "work",
        sa.Column("owner_id", sa.String(length=26), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("registration_number", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["account.id"], name=op.f("fk_work_owner_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work")),
    )
    with op.batch_alter_table("work", schema=None) as batch_op:
        batch_op.create_index("ix_work_owner_id_id", ["owner_id", "id"], unique=False)

    op.create_table(
        "work_image",
        sa.Column("work_id", sa.String(length=26), nullable=False),
        sa.Column("owner_id", sa.String(length=26), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("hash_version", sa.Integer(), nullable=False),
        sa.Column("hashed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["account.id"], name=op.f("fk_work_image_owner_id_account")),
        sa.ForeignKeyConstraint(["work_id"], ["work.id"], name=op.f("fk_work_image_work_id_work"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_image")),
        sa.UniqueConstraint("work_id", "sha256", name=op.f("uq_work_image_work_id_sha256")),
    )
    with op.batch_alter_table("work_image", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_image_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_image_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_image_work_id"), ["work_id"], unique=False)

    op.create_table(
        "image_features",
        sa.Column("image_id", sa.String(length=26), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("thumb", sa.LargeBinary(), nullable=True),
        sa.Column("meta", JSON, nullable=True),
        sa.ForeignKeyConstraint(["image_id"], ["work_image.id"], name=op.f("fk_image_features_image_id_work_image"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("image_id", name=op.f("pk_image_features")),
    )
    op.create_table(
        "image_hash",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("image_id", sa.String(length=26), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("region", JSON, nullable=True),
        sa.Column("w0", sa.BigInteger(), nullable=False),
        sa.Column("w1", sa.BigInteger(), nullable=True),
        sa.Column("w2", sa.BigInteger(), nullable=True),
        sa.Column("w3", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["image_id"], ["work_image.id"], name=op.f("fk_image_hash_image_id_work_image"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_image_hash")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("image_hash", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_image_hash_image_id"), ["image_id"], unique=False)
        batch_op.create_index("ix_image_hash_kind_id", ["kind", "id"], unique=False)

    op.create_table(
        "item_content",
        sa.Column("item_id", sa.String(length=26), nullable=False),
        sa.Column("uploaded_by_id", sa.String(length=26), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("matches", JSON, nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["claim_item.id"], name=op.f("fk_item_content_item_id_claim_item"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["account.id"], name=op.f("fk_item_content_uploaded_by_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_content")),
    )
    with op.batch_alter_table("item_content", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_content_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("item_content", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_content_item_id"))

    op.drop_table("item_content")
    with op.batch_alter_table("image_hash", schema=None) as batch_op:
        batch_op.drop_index("ix_image_hash_kind_id")
        batch_op.drop_index(batch_op.f("ix_image_hash_image_id"))

    op.drop_table("image_hash")
    op.drop_table("image_features")
    with op.batch_alter_table("work_image", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_image_work_id"))
        batch_op.drop_index(batch_op.f("ix_work_image_sha256"))
        batch_op.drop_index(batch_op.f("ix_work_image_owner_id"))

    op.drop_table("work_image")
    with op.batch_alter_table("work", schema=None) as batch_op:
        batch_op.drop_index("ix_work_owner_id_id")

    op.drop_table("work")
