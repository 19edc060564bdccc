"""The case store's tables: the contract between stages.

Stages never import each other; they read and write these tables. Every column here is
documented in docs/store.md. Locators are user-facing: ``row_no`` is the 1-based record
number in a sheet or delimited file as a spreadsheet would show it (title and header rows
included), ``page`` is 1-based.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

TABLES: dict[str, str] = {
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (
            key VARCHAR PRIMARY KEY,
            value VARCHAR
        )""",
    # Every evidence file and archive/e-mail member.
    "files": """
        CREATE TABLE IF NOT EXISTS files (
            file_id VARCHAR PRIMARY KEY,   -- stable: hash of path
            path VARCHAR NOT NULL,         -- relative to evidence root; members 'a.zip!b/c.csv'
            parent_id VARCHAR,             -- containing archive / e-mail, or NULL
            depth INTEGER NOT NULL,        -- 0 for files on disk
            size BIGINT,
            sha256 VARCHAR,
            detected_type VARCHAR,         -- csv, tsv, xlsx, pdf, docx, txt, zip, ... or 'unknown'
            status VARCHAR NOT NULL,       -- processed | skipped | failed | out_of_scope
            reason VARCHAR NOT NULL,       -- '' when processed; a short code + detail otherwise
            client_ids VARCHAR[],          -- from the case's path globs
            n_documents INTEGER,
            n_findings INTEGER,            -- filled by detect
            ingested_at TIMESTAMP
        )""",
    # What the access logs say about each evidence file (ingest, when the case has [scope]).
    # Replaced on every ingest run; empty without scope. See docs/scope.md.
    "scope_access": """
        CREATE TABLE IF NOT EXISTS scope_access (
            path VARCHAR NOT NULL,         -- evidence path on disk (no archive members)
            access VARCHAR NOT NULL,       -- 'viewed' | 'copied' | 'listed'
            first_access TIMESTAMP,        -- UTC
            last_access TIMESTAMP,         -- UTC
            accounts VARCHAR[],            -- the intruder's accounts (or addresses) behind it
            tables VARCHAR[]               -- database dumps: tables read in it; NULL: the whole file
        )""",
    # A unit of extracted content: a page / text body, or one table (sheet).
    "documents": """
        CREATE TABLE IF NOT EXISTS documents (
            doc_id VARCHAR PRIMARY KEY,    -- file_id || ':' || seq
            file_id VARCHAR NOT NULL,
            seq INTEGER NOT NULL,
            kind VARCHAR NOT NULL,         -- 'text' | 'table'
            locator VARCHAR NOT NULL,      -- 'page 3', 'sheet Members', 'body', 'attachment 1'
            page INTEGER,                  -- 1-based page (text from paged formats)
            sheet VARCHAR,                 -- sheet name (workbooks)
            text VARCHAR,                  -- text documents
            columns VARCHAR[],             -- table documents: header cells (synthetic col_N when none)
            header_row INTEGER,            -- 1-based row number of the header, 0 when headerless
            n_rows INTEGER                 -- data rows
        )""",
    # Data rows of table documents.
    "table_rows": """
        CREATE TABLE IF NOT EXISTS table_rows (
            doc_id VARCHAR NOT NULL,
            row_no INTEGER NOT NULL,       -- 1-based record number as a spreadsheet shows it
            cells VARCHAR[]                -- aligned with documents.columns
        )""",
    # What detect found. Never the raw text: 'value' is normalised.
    "findings": """
        CREATE TABLE IF NOT EXISTS findings (
            finding_id VARCHAR NOT NULL,   -- unique (detect guarantees it; no index: 6 µs a row)
            doc_id VARCHAR NOT NULL,
            file_id VARCHAR NOT NULL,
            row_no INTEGER,                -- table findings
            column_name VARCHAR,           -- table findings
            page INTEGER,
            start_char INTEGER,            -- text findings: span in documents.text
            end_char INTEGER,
            category VARCHAR NOT NULL,     -- categories.ELEMENTS or categories.AUX
            field VARCHAR,                 -- part within category: first/last/.. street/city/state/zip ..
            value VARCHAR,                 -- normalised (SSN digits, ISO date, E.164, upper-case IDs)
            subject VARCHAR,               -- linking hint within the doc: e.g. 'subscriber', 'patient'
            confidence DOUBLE NOT NULL,
            detector VARCHAR NOT NULL,     -- e.g. 'table.column', 'text.pattern', 'text.label'
            explanation VARCHAR NOT NULL   -- pattern / context words / validator; no raw values
        )""",
    # One data subject within one document (a table row, a chart's patient, a PID).
    "mentions": """
        CREATE TABLE IF NOT EXISTS mentions (
            mention_id VARCHAR PRIMARY KEY,   -- doc_id || ':' || subject key
            doc_id VARCHAR NOT NULL,
            file_id VARCHAR NOT NULL,
            path VARCHAR NOT NULL,
            locator VARCHAR NOT NULL,
            row_no INTEGER,
            page INTEGER,
            client_ids VARCHAR[],
            first_name VARCHAR, middle_name VARCHAR, last_name VARCHAR, suffix VARCHAR,
            dob DATE,
            ssn VARCHAR, ssn_last4 VARCHAR,
            street VARCHAR, city VARCHAR, state VARCHAR, zip VARCHAR,
            phone VARCHAR, email VARCHAR, member_id VARCHAR, mrn VARCHAR,
            gender VARCHAR,
            deceased BOOLEAN, date_of_death DATE,
            organization VARCHAR,
            elements VARCHAR[],            -- exposed categories here
            n_findings INTEGER
        )""",
    "finding_mentions": """
        CREATE TABLE IF NOT EXISTS finding_mentions (
            finding_id VARCHAR NOT NULL,
            mention_id VARCHAR NOT NULL
        )""",
    "individuals": """
        CREATE TABLE IF NOT EXISTS individuals (
            individual_id VARCHAR PRIMARY KEY,
            first_name VARCHAR, middle_name VARCHAR, last_name VARCHAR, suffix VARCHAR,
            dob DATE,
            street VARCHAR, city VARCHAR, state VARCHAR, zip VARCHAR,
            state_source VARCHAR,          -- address | zip | phone | none
            is_minor BOOLEAN NOT NULL,
            is_deceased BOOLEAN NOT NULL,
            client_ids VARCHAR[],
            elements VARCHAR[],
            n_mentions INTEGER,
            n_documents INTEGER,
            needs_review BOOLEAN
        )""",
    "individual_mentions": """
        CREATE TABLE IF NOT EXISTS individual_mentions (
            individual_id VARCHAR NOT NULL,
            mention_id VARCHAR NOT NULL,
            match_probability DOUBLE
        )""",
    # Pairs the resolver was unsure about, and large clusters.
    "review_queue": """
        CREATE TABLE IF NOT EXISTS review_queue (
            item_id VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,         -- 'pair' | 'cluster' | 'finding'
            mention_a VARCHAR, mention_b VARCHAR,
            individual_id VARCHAR,
            score DOUBLE,
            reason VARCHAR
        )""",
    # Reviewer decisions: survive re-runs and are re-applied.
    "decisions": """
        CREATE TABLE IF NOT EXISTS decisions (
            decision_id VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,         -- 'merge' | 'split' | 'confirm' | 'reject_finding' | 'accept_finding'
            mention_a VARCHAR, mention_b VARCHAR,
            finding_id VARCHAR,
            note VARCHAR,
            made_by VARCHAR,
            made_at TIMESTAMP
        )""",
    "stage_runs": """
        CREATE TABLE IF NOT EXISTS stage_runs (
            stage VARCHAR NOT NULL,
            started_at TIMESTAMP,
            finished_at TIMESTAMP,
            status VARCHAR,
            detail VARCHAR
        )""",
    # What the law requires: one row per duty, per covered entity (client) and regime.
    # Written by assess; see docs/jurisdictions.md and breachscope.assess.record.
    "obligations": """
        CREATE TABLE IF NOT EXISTS obligations (
            seq INTEGER NOT NULL,          -- output order
            obligation_id VARCHAR NOT NULL,
            client_id VARCHAR NOT NULL,    -- the covered entity the duty is computed for
            regime VARCHAR NOT NULL,       -- 'HIPAA' or a jurisdiction code ('unknown': no state)
            jurisdiction VARCHAR NOT NULL, -- state/territory concerned; '' for a national duty
            duty_holder VARCHAR NOT NULL,  -- covered_entity | business_associate
            obligation VARCHAR NOT NULL,   -- individual_notice, media_notice, hhs_notice, regulator_notice ...
            recipient VARCHAR NOT NULL,    -- individuals | covered_entity | hhs | media | attorney_general | regulator | consumer_reporting_agencies
            agency VARCHAR,
            triggered BOOLEAN NOT NULL,
            triggered_count INTEGER,
            triggered_elements VARCHAR[],
            triggered_by VARCHAR,          -- why, in words
            threshold VARCHAR,
            due DATE,                      -- NULL when the law gives no fixed day
            due_text VARCHAR,
            day_kind VARCHAR,              -- calendar | business | ''
            anchor VARCHAR,                -- what the deadline counts from
            citation VARCHAR NOT NULL,
            rule_id VARCHAR NOT NULL,      -- H-... or e.g. CA-IND@2026-01-01
            sources VARCHAR[],
            confidence VARCHAR,
            unverified BOOLEAN,
            credit_monitoring_months INTEGER,
            content_requirements VARCHAR[],
            prohibitions VARCHAR[],
            notes VARCHAR,
            earliest_binding BOOLEAN
        )""",
}
