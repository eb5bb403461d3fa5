"""The tables as plain SQLAlchemy Core, GENERATED from engine/store/schema.py: do not edit.

Regenerate with `python -m engine.store.tablegen` after changing the SQLModel declaration;
tests/engine/test_tables.py fails when the two disagree.
"""

from __future__ import annotations

import sqlalchemy as sa

from engine.store.coltypes import UTCDateTime

metadata = sa.MetaData()


audit_t = sa.Table(
    'audit',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('login', sa.String(128), nullable=False, default=''),
    sa.Column('action', sa.String(64), nullable=False),
    sa.Column('outcome', sa.String(16), nullable=False),
    sa.Column('rule', sa.String(128), nullable=False, default=''),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('address', sa.String(256), nullable=False, default=''),
    sa.Index('ix_audit_at', 'at'),
    sa.Index('ix_audit_login_at', 'login', 'at'),
)


meta_t = sa.Table(
    'bargain_meta',
    metadata,
    sa.Column('key', sa.String(64), primary_key=True, nullable=False),
    sa.Column('value', sa.String(256), nullable=False, default=''),
)


migration_t = sa.Table(
    'bargain_migration',
    metadata,
    sa.Column('name', sa.String(128), primary_key=True, nullable=False),
    sa.Column('applied_at', UTCDateTime(), nullable=False),
)


counselor_t = sa.Table(
    'counselor',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('gender', sa.String(8), nullable=False, default=''),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('education', sa.String(), nullable=False, default=''),
    sa.Column('training', sa.String(), nullable=False, default=''),
    sa.Column('employer', sa.String(), nullable=False, default=''),
    sa.Column('kind', sa.String(16), nullable=False, default='part_time'),
    sa.Column('background', sa.String(), nullable=False, default=''),
    sa.Column('status', sa.String(16), nullable=False, default='in_service'),
    sa.Column('term_start', sa.Date(), nullable=True),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(), nullable=False, default=''),
    sa.Column('org_code', sa.String(64), nullable=False, default=''),
    sa.Column('org_path', sa.String(1024), nullable=False, default=''),
    sa.Column('merged_into', sa.Integer(), nullable=True),
    sa.Index('ix_counselor_org_path', 'org_path'),
)


coverage_rollup_t = sa.Table(
    'coverage_rollup',
    metadata,
    sa.Column('path', sa.String(1024), primary_key=True, nullable=False),
    sa.Column('tier', sa.String(1), primary_key=True, nullable=False),
    sa.Column('day', sa.Date(), primary_key=True, nullable=False),
    sa.Column('band', sa.String(8), primary_key=True, nullable=False),
    sa.Column('unionised', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('active', sa.Integer(), nullable=False, default=0),
    sa.Column('covered', sa.Integer(), nullable=False, default=0),
    sa.Column('workers', sa.Integer(), nullable=False, default=0),
)


enterprise_t = sa.Table(
    'enterprise',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('credit_code', sa.String(18), nullable=False, unique=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('org_code', sa.String(64), nullable=False),
    sa.Column('org_path', sa.String(1024), nullable=False),
    sa.Column('industry', sa.String(64), nullable=False, default=''),
    sa.Column('employees', sa.Integer(), nullable=False, default=0),
    sa.Column('has_union', sa.Boolean(), nullable=False, default=True),
    sa.Column('retired_on', sa.Date(), nullable=True),
    sa.Column('retired_reason', sa.String(), nullable=False, server_default=''),
    sa.Index('ix_enterprise_org_path', 'org_path', 'employees', 'has_union', 'retired_on'),
    sa.Index('ix_enterprise_retired', 'retired_on', sqlite_where=sa.text('retired_on IS NOT NULL')),
)


org_t = sa.Table(
    'org',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('code', sa.String(64), nullable=False, unique=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(16), nullable=False, default='other'),
    sa.Column('parent_code', sa.String(64), nullable=True),
    sa.Column('path', sa.String(1024), nullable=False),
    sa.Column('jurisdiction', sa.String(32), nullable=True),
    sa.Index('ix_org_path', 'path'),
)


org_merge_t = sa.Table(
    'org_merge',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('from_code', sa.String(64), nullable=False),
    sa.Column('into_code', sa.String(64), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('from_path', sa.String(1024), nullable=False),
    sa.Column('into_path', sa.String(1024), nullable=False),
    sa.Column('moved', sa.JSON(), nullable=False),
    sa.Column('recorded_at', UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(128), nullable=False, default=''),
    sa.Index('ix_org_merge_from_code', 'from_code'),
)


reference_t = sa.Table(
    'reference_text',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('name', sa.String(255), nullable=False, unique=True),
    sa.Column('org_code', sa.String(64), nullable=True),
    sa.Column('org_path', sa.String(1024), nullable=False, default=''),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('file_name', sa.String(255), nullable=False, default=''),
    sa.Column('file_kind', sa.String(8), nullable=False, default=''),
    sa.Column('file_size', sa.Integer(), nullable=False, default=0),
    sa.Column('file_sha256', sa.String(64), nullable=False, default=''),
    sa.Column('file_bytes', sa.LargeBinary(), nullable=True),
    sa.Column('added_at', UTCDateTime(), nullable=False),
    sa.Column('added_by', sa.String(128), nullable=False, default=''),
)


report_rollup_t = sa.Table(
    'report_rollup',
    metadata,
    sa.Column('path', sa.String(1024), primary_key=True, nullable=False),
    sa.Column('year', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('band', sa.String(8), primary_key=True, nullable=False),
    sa.Column('workflow', sa.String(64), primary_key=True, nullable=False),
    sa.Column('measure', sa.String(64), primary_key=True, nullable=False),
    sa.Column('n', sa.Integer(), nullable=False, default=0),
    sa.Index('ix_report_rollup_year', 'year', 'path', 'workflow', 'measure', 'band', 'n'),
)


web_login_attempt_t = sa.Table(
    'web_login_attempt',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('address', sa.String(64), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Index('ix_web_login_attempt_address', 'address', 'at'),
)


web_saved_list_t = sa.Table(
    'web_saved_list',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('login', sa.String(128), nullable=False),
    sa.Column('name', sa.String(100), nullable=False),
    sa.Column('query', sa.String(2000), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.UniqueConstraint('login', 'name', name='uq_web_saved_list_login_name'),
    sa.Index('ix_web_saved_list_login', 'login'),
)


web_session_t = sa.Table(
    'web_session',
    metadata,
    sa.Column('id', sa.String(64), primary_key=True, nullable=False),
    sa.Column('login', sa.String(128), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False, default=0),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('last_seen', UTCDateTime(), nullable=False),
    sa.Column('csrf', sa.String(64), nullable=False),
    sa.Column('lang', sa.String(8), nullable=False, default='zh'),
    sa.Index('ix_web_session_last_seen', 'last_seen'),
    sa.Index('ix_web_session_login', 'login'),
)


user_t = sa.Table(
    'app_user',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('login', sa.String(64), nullable=False, unique=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('password_hash', sa.String(512), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False, default=True),
    sa.Column('counselor_id', sa.Integer(), sa.ForeignKey('counselor.id'), nullable=True),
    sa.Column('failed_count', sa.Integer(), nullable=False, default=0),
    sa.Column('failed_since', UTCDateTime(), nullable=True),
    sa.Column('locked_until', UTCDateTime(), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False, default=1),
    sa.Column('token_hash', sa.String(128), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=True),
    sa.Index('ix_app_user_token_hash', 'token_hash'),
)


case_t = sa.Table(
    'bcase',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('enterprise_id', sa.Integer(), sa.ForeignKey('enterprise.id'), nullable=True),
    sa.Column('party_org', sa.String(64), nullable=True),
    sa.Column('workflow', sa.String(64), nullable=False),
    sa.Column('workflow_version', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(32), nullable=False),
    sa.Column('jurisdiction', sa.String(32), nullable=False, default='national'),
    sa.Column('counselor_id', sa.Integer(), sa.ForeignKey('counselor.id'), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False, default=0),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('opened_at', UTCDateTime(), nullable=False),
    sa.Column('last_at', UTCDateTime(), nullable=True),
    sa.Column('offer_year', sa.Integer(), nullable=True),
    sa.Column('offered_on', sa.Date(), nullable=True),
    sa.Column('offer_level', sa.String(16), nullable=True),
    sa.Column('offer_received_on', sa.Date(), nullable=True),
    sa.Column('response', sa.String(16), nullable=True),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.Column('reply_due', sa.Date(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('term_start', sa.Date(), nullable=True),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('ent_path', sa.String(1024), nullable=True),
    sa.Column('ent_employees', sa.Integer(), nullable=True),
    sa.Column('ent_has_union', sa.Boolean(), nullable=True),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('lapse_due', sa.Date(), nullable=True),
    sa.Index('ix_bcase_campaign', 'offer_year', 'ent_path', 'enterprise_id', 'offered_on', 'id', 'offer_level', 'response', 'responded_on', 'reply_due', 'signed_on', 'filed_on', 'effective_on', 'ent_employees'),
    sa.Index('ix_bcase_counselor', 'counselor_id', 'state'),
    sa.Index('ix_bcase_enterprise', 'enterprise_id', 'state'),
    sa.Index('ix_bcase_in_force', 'ent_path', 'enterprise_id', 'effective_on', 'term_end', 'ent_has_union', 'ent_employees', sqlite_where=sa.text('effective_on IS NOT NULL')),
    sa.Index('ix_bcase_lapse_due', 'lapse_due'),
    sa.Index('ix_bcase_next_due', 'next_due', 'state', 'enterprise_id', 'ent_path', 'party_org', 'id'),
    sa.Index('ix_bcase_party_org', 'party_org'),
    sa.Index('ix_bcase_state', 'state'),
    sa.Index('ix_bcase_state_last', 'state', 'last_at', 'id', 'ent_path', 'party_org'),
    sa.Index('ix_bcase_year', 'offer_year', 'state'),
)


grant_t = sa.Table(
    'app_grant',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
    sa.Column('role', sa.String(32), nullable=False),
    sa.Column('org_code', sa.String(64), nullable=False),
    sa.UniqueConstraint('user_id', 'role', 'org_code', name='uq_app_grant'),
    sa.Index('ix_app_grant_user_id', 'user_id'),
)


mark_t = sa.Table(
    'case_mark',
    metadata,
    sa.Column('case_id', sa.Integer(), sa.ForeignKey('bcase.id'), primary_key=True, nullable=False),
    sa.Column('typical', sa.Boolean(), nullable=False, default=True),
    sa.Column('note', sa.String(), nullable=False, default=''),
    sa.Column('marked_at', UTCDateTime(), nullable=False),
    sa.Column('marked_by', sa.String(128), nullable=False, default=''),
)


contract_t = sa.Table(
    'contract',
    metadata,
    sa.Column('case_id', sa.Integer(), sa.ForeignKey('bcase.id'), primary_key=True, nullable=False),
    sa.Column('terms', sa.JSON(), nullable=True),
    sa.Column('min_wage', sa.JSON(), nullable=True),
    sa.Column('place', sa.String(12), nullable=False, default=''),
    sa.Column('term_year', sa.Integer(), nullable=True),
    sa.Column('terms_at', UTCDateTime(), nullable=True),
    sa.Column('terms_by', sa.String(128), nullable=False, default=''),
    sa.Column('text', sa.String(), nullable=True),
    sa.Column('file_name', sa.String(255), nullable=False, default=''),
    sa.Column('file_kind', sa.String(8), nullable=False, default=''),
    sa.Column('file_size', sa.Integer(), nullable=False, default=0),
    sa.Column('file_sha256', sa.String(64), nullable=False, default=''),
    sa.Column('file_bytes', sa.LargeBinary(), nullable=True),
    sa.Column('attached_at', UTCDateTime(), nullable=True),
    sa.Column('attached_by', sa.String(128), nullable=False, default=''),
    sa.Index('ix_contract_term_year', 'term_year'),
)


coverage_t = sa.Table(
    'coverage',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('case_id', sa.Integer(), sa.ForeignKey('bcase.id'), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), sa.ForeignKey('enterprise.id'), nullable=False),
    sa.Column('added_on', sa.Date(), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.Index('ix_coverage_case_id', 'case_id'),
    sa.Index('ix_coverage_enterprise', 'enterprise_id', 'case_id'),
)


event_t = sa.Table(
    'event',
    metadata,
    sa.Column('id', sa.Integer(), primary_key=True, nullable=False),
    sa.Column('case_id', sa.Integer(), sa.ForeignKey('bcase.id'), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(16), nullable=False),
    sa.Column('trigger', sa.String(32), nullable=False, default=''),
    sa.Column('from_state', sa.String(32), nullable=False, default=''),
    sa.Column('to_state', sa.String(32), nullable=False, default=''),
    sa.Column('occurred_at', UTCDateTime(), nullable=False),
    sa.Column('recorded_at', UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(128), nullable=False, default=''),
    sa.Column('counselor_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(), nullable=False, default=''),
    sa.Column('corrects', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(200), nullable=False, server_default=''),
    sa.UniqueConstraint('case_id', 'seq', name='uq_event_case_seq'),
    sa.Index('ix_event_counselor', 'counselor_id', 'occurred_at', sqlite_where=sa.text('counselor_id IS NOT NULL')),
    sa.Index('ix_event_voids', 'case_id', 'corrects', sqlite_where=sa.text("kind = 'void'")),
)


renewal_t = sa.Table(
    'renewal',
    metadata,
    sa.Column('case_id', sa.Integer(), sa.ForeignKey('bcase.id'), primary_key=True, nullable=False),
    sa.Column('renews_case_id', sa.Integer(), sa.ForeignKey('bcase.id'), nullable=False),
    sa.Column('linked_at', UTCDateTime(), nullable=False),
    sa.Index('ix_renewal_renews_case_id', 'renews_case_id'),
)


# PostgreSQL's partial-index conditions, set by for_postgresql() only when a PostgreSQL schema is made or
# compared: a `postgresql_where` argument at import would load SQLAlchemy's PostgreSQL dialect in every
# SQLite command (a fifth of a second).
POSTGRESQL_WHERE = {   'ix_bcase_in_force': 'effective_on IS NOT NULL',
    'ix_enterprise_retired': 'retired_on IS NOT NULL',
    'ix_event_counselor': 'counselor_id IS NOT NULL',
    'ix_event_voids': "kind = 'void'"}


def for_postgresql() -> sa.MetaData:
    """The metadata with PostgreSQL's partial-index conditions set (idempotent)."""
    for table in metadata.tables.values():
        for ix in table.indexes:
            if ix.name in POSTGRESQL_WHERE and ix.dialect_options["postgresql"]._non_defaults.get("where") is None:
                ix.dialect_options["postgresql"]["where"] = sa.text(POSTGRESQL_WHERE[str(ix.name)])
    return metadata
