"""The one-case statements as plain SQL, GENERATED from engine/store/queries.py: do not edit.

Regenerate with `python -m engine.store.querygen`; tests/store/test_queries.py fails when they disagree.
Run by engine/store/lite.py.
"""

from __future__ import annotations

from typing import Any

SQL: dict[str, dict[str, str]] = {'actor_names': {'postgresql': 'SELECT app_user.login, app_user.name \n'
                               'FROM app_user \n'
                               'WHERE app_user.login IN (__[POSTCOMPILE_logins])',
                 'sqlite': 'SELECT app_user.login, app_user.name \n'
                           'FROM app_user \n'
                           'WHERE app_user.login IN (__[POSTCOMPILE_logins])'},
 'add_coverage': {'postgresql': 'INSERT INTO coverage_rollup (path, tier, day, band, unionised, active, '
                                'covered, workers) VALUES (%(path)s::VARCHAR, %(tier)s::VARCHAR, '
                                '%(day)s::DATE, %(band)s::VARCHAR, %(unionised)s::INTEGER, '
                                '%(active)s::INTEGER, %(covered)s::INTEGER, %(workers)s::INTEGER) ON '
                                'CONFLICT (path, tier, day, band, unionised) DO UPDATE SET active = '
                                '(coverage_rollup.active + excluded.active), covered = '
                                '(coverage_rollup.covered + excluded.covered), workers = '
                                '(coverage_rollup.workers + excluded.workers)',
                  'sqlite': 'INSERT INTO coverage_rollup (path, tier, day, band, unionised, active, covered, '
                            'workers) VALUES (:path, :tier, :day, :band, :unionised, :active, :covered, '
                            ':workers) ON CONFLICT (path, tier, day, band, unionised) DO UPDATE SET active = '
                            '(coverage_rollup.active + excluded.active), covered = (coverage_rollup.covered '
                            '+ excluded.covered), workers = (coverage_rollup.workers + excluded.workers)'},
 'add_rollup': {'postgresql': 'INSERT INTO report_rollup (path, year, band, workflow, measure, n) VALUES '
                              '(%(path)s::VARCHAR, %(year)s::INTEGER, %(band)s::VARCHAR, '
                              '%(workflow)s::VARCHAR, %(measure)s::VARCHAR, %(n)s::INTEGER) ON CONFLICT '
                              '(path, year, band, workflow, measure) DO UPDATE SET n = (report_rollup.n + '
                              'excluded.n)',
                'sqlite': 'INSERT INTO report_rollup (path, year, band, workflow, measure, n) VALUES (:path, '
                          ':year, :band, :workflow, :measure, :n) ON CONFLICT (path, year, band, workflow, '
                          'measure) DO UPDATE SET n = (report_rollup.n + excluded.n)'},
 'case_opened': {'postgresql': 'SELECT bcase.opened_at, bcase.state \n'
                               'FROM bcase \n'
                               'WHERE bcase.id = %(case_id)s::INTEGER',
                 'sqlite': 'SELECT bcase.opened_at, bcase.state \nFROM bcase \nWHERE bcase.id = :case_id'},
 'case_resource': {'postgresql': 'SELECT coalesce(bcase.ent_path, party.path) AS path, bcase.counselor_id \n'
                                 'FROM bcase LEFT OUTER JOIN org AS party ON party.code = bcase.party_org \n'
                                 'WHERE bcase.id = %(case_id)s::INTEGER',
                   'sqlite': 'SELECT coalesce(bcase.ent_path, party.path) AS path, bcase.counselor_id \n'
                             'FROM bcase LEFT OUTER JOIN org AS party ON party.code = bcase.party_org \n'
                             'WHERE bcase.id = :case_id'},
 'case_terms': {'postgresql': 'SELECT bcase.state, bcase.term_start, bcase.term_end \n'
                              'FROM bcase \n'
                              'WHERE bcase.id = %(case_id)s::INTEGER',
                'sqlite': 'SELECT bcase.state, bcase.term_start, bcase.term_end \n'
                          'FROM bcase \n'
                          'WHERE bcase.id = :case_id'},
 'cases_paths': {'postgresql': 'SELECT DISTINCT bcase.ent_path, bcase.offer_year \n'
                               'FROM bcase \n'
                               'WHERE bcase.id IN (__[POSTCOMPILE_ids])',
                 'sqlite': 'SELECT DISTINCT bcase.ent_path, bcase.offer_year \n'
                           'FROM bcase \n'
                           'WHERE bcase.id IN (__[POSTCOMPILE_ids])'},
 'contract_light': {'postgresql': 'SELECT contract.case_id, contract.terms, contract.min_wage, '
                                  'contract.place, contract.term_year, contract.terms_at, contract.terms_by, '
                                  'contract.text, contract.file_name, contract.file_kind, '
                                  'contract.file_size, contract.file_sha256, contract.attached_at, '
                                  'contract.attached_by \n'
                                  'FROM contract \n'
                                  'WHERE contract.case_id = %(case_id)s::INTEGER',
                    'sqlite': 'SELECT contract.case_id, contract.terms, contract.min_wage, contract.place, '
                              'contract.term_year, contract.terms_at, contract.terms_by, contract.text, '
                              'contract.file_name, contract.file_kind, contract.file_size, '
                              'contract.file_sha256, contract.attached_at, contract.attached_by \n'
                              'FROM contract \n'
                              'WHERE contract.case_id = :case_id'},
 'counselor_by_id': {'postgresql': 'SELECT counselor.id, counselor.name, counselor.gender, '
                                   'counselor.birth_date, counselor.education, counselor.training, '
                                   'counselor.employer, counselor.kind, counselor.background, '
                                   'counselor.status, counselor.term_start, counselor.term_end, '
                                   'counselor.phone, counselor.org_code, counselor.org_path, '
                                   'counselor.merged_into \n'
                                   'FROM counselor \n'
                                   'WHERE counselor.id = %(counselor_id)s::INTEGER',
                     'sqlite': 'SELECT counselor.id, counselor.name, counselor.gender, counselor.birth_date, '
                               'counselor.education, counselor.training, counselor.employer, counselor.kind, '
                               'counselor.background, counselor.status, counselor.term_start, '
                               'counselor.term_end, counselor.phone, counselor.org_code, counselor.org_path, '
                               'counselor.merged_into \n'
                               'FROM counselor \n'
                               'WHERE counselor.id = :counselor_id'},
 'counselor_names': {'postgresql': 'SELECT counselor.id, counselor.name \n'
                                   'FROM counselor \n'
                                   'WHERE counselor.id IN (__[POSTCOMPILE_ids])',
                     'sqlite': 'SELECT counselor.id, counselor.name \n'
                               'FROM counselor \n'
                               'WHERE counselor.id IN (__[POSTCOMPILE_ids])'},
 'coverage_delete_own': {'postgresql': 'DELETE FROM coverage_rollup WHERE coverage_rollup.path IN '
                                       '(__[POSTCOMPILE_paths]) AND coverage_rollup.tier = %(tier)s::VARCHAR',
                         'sqlite': 'DELETE FROM coverage_rollup WHERE coverage_rollup.path IN '
                                   '(__[POSTCOMPILE_paths]) AND coverage_rollup.tier = :tier'},
 'coverage_own_rows': {'postgresql': 'SELECT coverage_rollup.path, coverage_rollup.day, '
                                     'coverage_rollup.band, coverage_rollup.unionised, '
                                     'coverage_rollup.active, coverage_rollup.covered, '
                                     'coverage_rollup.workers \n'
                                     'FROM coverage_rollup \n'
                                     'WHERE coverage_rollup.path IN (__[POSTCOMPILE_paths]) AND '
                                     'coverage_rollup.tier = %(tier)s::VARCHAR',
                       'sqlite': 'SELECT coverage_rollup.path, coverage_rollup.day, coverage_rollup.band, '
                                 'coverage_rollup.unionised, coverage_rollup.active, '
                                 'coverage_rollup.covered, coverage_rollup.workers \n'
                                 'FROM coverage_rollup \n'
                                 'WHERE coverage_rollup.path IN (__[POSTCOMPILE_paths]) AND '
                                 'coverage_rollup.tier = :tier'},
 'covered_paths': {'postgresql': 'SELECT DISTINCT enterprise.org_path \n'
                                 'FROM coverage JOIN enterprise ON enterprise.id = coverage.enterprise_id \n'
                                 'WHERE coverage.case_id IN (__[POSTCOMPILE_ids])',
                   'sqlite': 'SELECT DISTINCT enterprise.org_path \n'
                             'FROM coverage JOIN enterprise ON enterprise.id = coverage.enterprise_id \n'
                             'WHERE coverage.case_id IN (__[POSTCOMPILE_ids])'},
 'covering': {'postgresql': 'SELECT coverage.case_id, coverage.added_on, coverage.removed_on, bcase.state, '
                            'bcase.effective_on, bcase.term_end, bcase.party_org, org.name AS "union" \n'
                            'FROM coverage JOIN bcase ON bcase.id = coverage.case_id JOIN org ON org.code = '
                            'bcase.party_org \n'
                            'WHERE coverage.enterprise_id = %(enterprise_id)s::INTEGER ORDER BY '
                            'coverage.added_on',
              'sqlite': 'SELECT coverage.case_id, coverage.added_on, coverage.removed_on, bcase.state, '
                        'bcase.effective_on, bcase.term_end, bcase.party_org, org.name AS "union" \n'
                        'FROM coverage JOIN bcase ON bcase.id = coverage.case_id JOIN org ON org.code = '
                        'bcase.party_org \n'
                        'WHERE coverage.enterprise_id = :enterprise_id ORDER BY coverage.added_on'},
 'enterprise_by_code': {'postgresql': 'SELECT enterprise.id, enterprise.credit_code, enterprise.name, '
                                      'enterprise.org_code, enterprise.org_path, enterprise.industry, '
                                      'enterprise.employees, enterprise.has_union, enterprise.retired_on, '
                                      'enterprise.retired_reason \n'
                                      'FROM enterprise \n'
                                      'WHERE enterprise.credit_code = %(credit_code)s::VARCHAR',
                        'sqlite': 'SELECT enterprise.id, enterprise.credit_code, enterprise.name, '
                                  'enterprise.org_code, enterprise.org_path, enterprise.industry, '
                                  'enterprise.employees, enterprise.has_union, enterprise.retired_on, '
                                  'enterprise.retired_reason \n'
                                  'FROM enterprise \n'
                                  'WHERE enterprise.credit_code = :credit_code'},
 'events_of': {'postgresql': 'SELECT event.id, event.case_id, event.seq, event.kind, event.trigger, '
                             'event.from_state, event.to_state, event.occurred_at, event.recorded_at, '
                             'event.actor, event.counselor_id, event.data, event.note, event.corrects, '
                             'event.actor_name, app_user.name AS user_name \n'
                             'FROM event LEFT OUTER JOIN app_user ON app_user.login = event.actor \n'
                             'WHERE event.case_id = %(case_id)s::INTEGER ORDER BY event.seq',
               'sqlite': 'SELECT event.id, event.case_id, event.seq, event.kind, event."trigger", '
                         'event.from_state, event.to_state, event.occurred_at, event.recorded_at, '
                         'event.actor, event.counselor_id, event.data, event.note, event.corrects, '
                         'event.actor_name, app_user.name AS user_name \n'
                         'FROM event LEFT OUTER JOIN app_user ON app_user.login = event.actor \n'
                         'WHERE event.case_id = :case_id ORDER BY event.seq'},
 'grants_of': {'postgresql': 'SELECT app_grant.user_id, app_grant.role, app_grant.org_code, org.path \n'
                             'FROM app_grant JOIN org ON org.code = app_grant.org_code \n'
                             'WHERE app_grant.user_id IN (__[POSTCOMPILE_user_ids]) ORDER BY org.path, '
                             'app_grant.role',
               'sqlite': 'SELECT app_grant.user_id, app_grant.role, app_grant.org_code, org.path \n'
                         'FROM app_grant JOIN org ON org.code = app_grant.org_code \n'
                         'WHERE app_grant.user_id IN (__[POSTCOMPILE_user_ids]) ORDER BY org.path, '
                         'app_grant.role'},
 'has_users': {'postgresql': 'SELECT app_user.id \nFROM app_user \n LIMIT %(param_1)s::INTEGER',
               'sqlite': 'SELECT app_user.id \nFROM app_user\n LIMIT :param_1 OFFSET :param_2'},
 'insert_audit': {'postgresql': 'INSERT INTO audit (at, login, action, outcome, rule, detail, address) '
                                'VALUES (%(at)s::TIMESTAMP WITHOUT TIME ZONE, %(login)s::VARCHAR, '
                                '%(action)s::VARCHAR, %(outcome)s::VARCHAR, %(rule)s::VARCHAR, '
                                '%(detail)s::JSON, %(address)s::VARCHAR)',
                  'sqlite': 'INSERT INTO audit (at, login, action, outcome, rule, detail, address) VALUES '
                            '(:at, :login, :action, :outcome, :rule, :detail, :address)'},
 'insert_case': {'postgresql': 'INSERT INTO bcase (id, enterprise_id, party_org, workflow, workflow_version, '
                               'state, jurisdiction, counselor_id, version, facts, opened_at, last_at, '
                               'offer_year, offered_on, offer_level, offer_received_on, response, '
                               'responded_on, reply_due, signed_on, filed_on, effective_on, term_start, '
                               'term_end, closed_on, ent_path, ent_employees, ent_has_union, next_due, '
                               'lapse_due) VALUES (%(id)s::INTEGER, %(enterprise_id)s::INTEGER, '
                               '%(party_org)s::VARCHAR, %(workflow)s::VARCHAR, '
                               '%(workflow_version)s::INTEGER, %(state)s::VARCHAR, '
                               '%(jurisdiction)s::VARCHAR, %(counselor_id)s::INTEGER, %(version)s::INTEGER, '
                               '%(facts)s::JSON, %(opened_at)s::TIMESTAMP WITHOUT TIME ZONE, '
                               '%(last_at)s::TIMESTAMP WITHOUT TIME ZONE, %(offer_year)s::INTEGER, '
                               '%(offered_on)s::DATE, %(offer_level)s::VARCHAR, %(offer_received_on)s::DATE, '
                               '%(response)s::VARCHAR, %(responded_on)s::DATE, %(reply_due)s::DATE, '
                               '%(signed_on)s::DATE, %(filed_on)s::DATE, %(effective_on)s::DATE, '
                               '%(term_start)s::DATE, %(term_end)s::DATE, %(closed_on)s::DATE, '
                               '%(ent_path)s::VARCHAR, %(ent_employees)s::INTEGER, %(ent_has_union)s, '
                               '%(next_due)s::DATE, %(lapse_due)s::DATE)',
                 'sqlite': 'INSERT INTO bcase (id, enterprise_id, party_org, workflow, workflow_version, '
                           'state, jurisdiction, counselor_id, version, facts, opened_at, last_at, '
                           'offer_year, offered_on, offer_level, offer_received_on, response, responded_on, '
                           'reply_due, signed_on, filed_on, effective_on, term_start, term_end, closed_on, '
                           'ent_path, ent_employees, ent_has_union, next_due, lapse_due) VALUES (:id, '
                           ':enterprise_id, :party_org, :workflow, :workflow_version, :state, :jurisdiction, '
                           ':counselor_id, :version, :facts, :opened_at, :last_at, :offer_year, :offered_on, '
                           ':offer_level, :offer_received_on, :response, :responded_on, :reply_due, '
                           ':signed_on, :filed_on, :effective_on, :term_start, :term_end, :closed_on, '
                           ':ent_path, :ent_employees, :ent_has_union, :next_due, :lapse_due)'},
 'insert_coverage': {'postgresql': 'INSERT INTO coverage_rollup (path, tier, day, band, unionised, active, '
                                   'covered, workers) VALUES (%(path)s::VARCHAR, %(tier)s::VARCHAR, '
                                   '%(day)s::DATE, %(band)s::VARCHAR, %(unionised)s::INTEGER, '
                                   '%(active)s::INTEGER, %(covered)s::INTEGER, %(workers)s::INTEGER)',
                     'sqlite': 'INSERT INTO coverage_rollup (path, tier, day, band, unionised, active, '
                               'covered, workers) VALUES (:path, :tier, :day, :band, :unionised, :active, '
                               ':covered, :workers)'},
 'insert_event': {'postgresql': 'INSERT INTO event (case_id, seq, kind, trigger, from_state, to_state, '
                                'occurred_at, recorded_at, actor, counselor_id, data, note, corrects, '
                                'actor_name) VALUES (%(case_id)s::INTEGER, %(seq)s::INTEGER, '
                                '%(kind)s::VARCHAR, %(trigger)s::VARCHAR, %(from_state)s::VARCHAR, '
                                '%(to_state)s::VARCHAR, %(occurred_at)s::TIMESTAMP WITHOUT TIME ZONE, '
                                '%(recorded_at)s::TIMESTAMP WITHOUT TIME ZONE, %(actor)s::VARCHAR, '
                                '%(counselor_id)s::INTEGER, %(data)s::JSON, %(note)s::VARCHAR, '
                                '%(corrects)s::INTEGER, %(actor_name)s::VARCHAR)',
                  'sqlite': 'INSERT INTO event (case_id, seq, kind, "trigger", from_state, to_state, '
                            'occurred_at, recorded_at, actor, counselor_id, data, note, corrects, '
                            'actor_name) VALUES (:case_id, :seq, :kind, :trigger, :from_state, :to_state, '
                            ':occurred_at, :recorded_at, :actor, :counselor_id, :data, :note, :corrects, '
                            ':actor_name)'},
 'insert_rollup': {'postgresql': 'INSERT INTO report_rollup (path, year, band, workflow, measure, n) VALUES '
                                 '(%(path)s::VARCHAR, %(year)s::INTEGER, %(band)s::VARCHAR, '
                                 '%(workflow)s::VARCHAR, %(measure)s::VARCHAR, %(n)s::INTEGER)',
                   'sqlite': 'INSERT INTO report_rollup (path, year, band, workflow, measure, n) VALUES '
                             '(:path, :year, :band, :workflow, :measure, :n)'},
 'last_event': {'postgresql': 'SELECT event.id, event.case_id, event.seq, event.kind, event.trigger, '
                              'event.from_state, event.to_state, event.occurred_at, event.recorded_at, '
                              'event.actor, event.counselor_id, event.data, event.note, event.corrects, '
                              'event.actor_name, app_user.name AS user_name \n'
                              'FROM event LEFT OUTER JOIN app_user ON app_user.login = event.actor \n'
                              'WHERE event.case_id = %(case_id)s::INTEGER ORDER BY event.seq DESC \n'
                              ' LIMIT %(param_1)s::INTEGER',
                'sqlite': 'SELECT event.id, event.case_id, event.seq, event.kind, event."trigger", '
                          'event.from_state, event.to_state, event.occurred_at, event.recorded_at, '
                          'event.actor, event.counselor_id, event.data, event.note, event.corrects, '
                          'event.actor_name, app_user.name AS user_name \n'
                          'FROM event LEFT OUTER JOIN app_user ON app_user.login = event.actor \n'
                          'WHERE event.case_id = :case_id ORDER BY event.seq DESC\n'
                          ' LIMIT :param_1 OFFSET :param_2'},
 'load_case': {'postgresql': 'SELECT bcase.id, bcase.workflow, bcase.workflow_version, bcase.state, '
                             'bcase.jurisdiction, bcase.counselor_id, bcase.version, bcase.last_at, '
                             'CAST(bcase.facts AS TEXT) AS facts, bcase.party_org, enterprise.credit_code, '
                             'enterprise.has_union \n'
                             'FROM bcase LEFT OUTER JOIN enterprise ON enterprise.id = bcase.enterprise_id \n'
                             'WHERE bcase.id = %(case_id)s::INTEGER',
               'sqlite': 'SELECT bcase.id, bcase.workflow, bcase.workflow_version, bcase.state, '
                         'bcase.jurisdiction, bcase.counselor_id, bcase.version, bcase.last_at, '
                         'CAST(bcase.facts AS TEXT) AS facts, bcase.party_org, enterprise.credit_code, '
                         'enterprise.has_union \n'
                         'FROM bcase LEFT OUTER JOIN enterprise ON enterprise.id = bcase.enterprise_id \n'
                         'WHERE bcase.id = :case_id'},
 'meta_value': {'postgresql': 'SELECT bargain_meta.value \n'
                              'FROM bargain_meta \n'
                              'WHERE bargain_meta.key = %(key)s::VARCHAR',
                'sqlite': 'SELECT bargain_meta.value \nFROM bargain_meta \nWHERE bargain_meta."key" = :key'},
 'offer_years': {'postgresql': 'SELECT DISTINCT bcase.offer_year \n'
                               'FROM bcase \n'
                               'WHERE bcase.offer_year IS NOT NULL',
                 'sqlite': 'SELECT DISTINCT bcase.offer_year \n'
                           'FROM bcase \n'
                           'WHERE bcase.offer_year IS NOT NULL'},
 'org_by_code': {'postgresql': 'SELECT org.id, org.code, org.name, org.kind, org.parent_code, org.path, '
                               'org.jurisdiction \n'
                               'FROM org \n'
                               'WHERE org.code = %(code)s::VARCHAR',
                 'sqlite': 'SELECT org.id, org.code, org.name, org.kind, org.parent_code, org.path, '
                           'org.jurisdiction \n'
                           'FROM org \n'
                           'WHERE org.code = :code'},
 'org_codes': {'postgresql': 'SELECT org.code \nFROM org \n LIMIT %(param_1)s::INTEGER',
               'sqlite': 'SELECT org.code \nFROM org\n LIMIT :param_1 OFFSET :param_2'},
 'recount_campaign': {'postgresql': 'SELECT year_cases.ent_path, year_cases.offer_year, CASE WHEN '
                                    "(year_cases.ent_employees < 50) THEN '<50' WHEN "
                                    "(year_cases.ent_employees < 100) THEN '50-99' ELSE '100+' END AS band, "
                                    'sum(CASE WHEN (year_cases.rn = 1) THEN 1 ELSE 0 END) AS offers, '
                                    'sum(CASE WHEN (year_cases.rn = 1 AND year_cases.offer_level = '
                                    '%(offer_level_1)s::VARCHAR) THEN 1 ELSE 0 END) AS offers_upper, '
                                    'sum(CASE WHEN (year_cases.rn = 1 AND year_cases.response = '
                                    '%(response_1)s::VARCHAR) THEN 1 ELSE 0 END) AS accepted, sum(CASE WHEN '
                                    '(year_cases.rn = 1 AND year_cases.response = %(response_2)s::VARCHAR '
                                    'AND year_cases.responded_on <= year_cases.reply_due) THEN 1 ELSE 0 END) '
                                    'AS accepted_on_time, sum(CASE WHEN (year_cases.rn = 1 AND '
                                    'year_cases.response IN (__[POSTCOMPILE_response_3])) THEN 1 ELSE 0 END) '
                                    'AS refused, sum(CASE WHEN (year_cases.rn = 1 AND year_cases.response IS '
                                    'NULL) THEN 1 ELSE 0 END) AS pending, count(year_cases.signed_on) AS '
                                    'signed, count(year_cases.filed_on) AS filed, '
                                    'count(year_cases.effective_on) AS effective, sum(CASE WHEN '
                                    '(year_cases.rn = 1 AND year_cases.any_effective = 1) THEN '
                                    'year_cases.ent_employees ELSE 0 END) AS workers_covered \n'
                                    'FROM (SELECT bcase.offer_year AS offer_year, bcase.ent_path AS '
                                    'ent_path, bcase.ent_employees AS ent_employees, bcase.offer_level AS '
                                    'offer_level, bcase.response AS response, bcase.responded_on AS '
                                    'responded_on, bcase.reply_due AS reply_due, bcase.signed_on AS '
                                    'signed_on, bcase.filed_on AS filed_on, bcase.effective_on AS '
                                    'effective_on, row_number() OVER (PARTITION BY bcase.offer_year, '
                                    'bcase.ent_path, bcase.enterprise_id ORDER BY bcase.offered_on DESC, '
                                    'bcase.id DESC) AS rn, max(CASE WHEN (bcase.effective_on IS NOT NULL) '
                                    'THEN 1 ELSE 0 END) OVER (PARTITION BY bcase.offer_year, bcase.ent_path, '
                                    'bcase.enterprise_id) AS any_effective \n'
                                    'FROM bcase \n'
                                    'WHERE bcase.ent_path IS NOT NULL AND bcase.offer_year IS NOT NULL AND '
                                    'bcase.offer_year IN (__[POSTCOMPILE_years]) AND bcase.ent_path IN '
                                    '(__[POSTCOMPILE_paths]) AND bcase.enterprise_id IS NOT NULL) AS '
                                    'year_cases GROUP BY year_cases.ent_path, year_cases.offer_year, band',
                      'sqlite': 'SELECT year_cases.ent_path, year_cases.offer_year, CASE WHEN '
                                "(year_cases.ent_employees < 50) THEN '<50' WHEN (year_cases.ent_employees < "
                                "100) THEN '50-99' ELSE '100+' END AS band, sum(CASE WHEN (year_cases.rn = "
                                '1) THEN 1 ELSE 0 END) AS offers, sum(CASE WHEN (year_cases.rn = 1 AND '
                                'year_cases.offer_level = :offer_level_1) THEN 1 ELSE 0 END) AS '
                                'offers_upper, sum(CASE WHEN (year_cases.rn = 1 AND year_cases.response = '
                                ':response_1) THEN 1 ELSE 0 END) AS accepted, sum(CASE WHEN (year_cases.rn = '
                                '1 AND year_cases.response = :response_2 AND year_cases.responded_on <= '
                                'year_cases.reply_due) THEN 1 ELSE 0 END) AS accepted_on_time, sum(CASE WHEN '
                                '(year_cases.rn = 1 AND year_cases.response IN (__[POSTCOMPILE_response_3])) '
                                'THEN 1 ELSE 0 END) AS refused, sum(CASE WHEN (year_cases.rn = 1 AND '
                                'year_cases.response IS NULL) THEN 1 ELSE 0 END) AS pending, '
                                'count(year_cases.signed_on) AS signed, count(year_cases.filed_on) AS filed, '
                                'count(year_cases.effective_on) AS effective, sum(CASE WHEN (year_cases.rn = '
                                '1 AND year_cases.any_effective = 1) THEN year_cases.ent_employees ELSE 0 '
                                'END) AS workers_covered \n'
                                'FROM (SELECT bcase.offer_year AS offer_year, bcase.ent_path AS ent_path, '
                                'bcase.ent_employees AS ent_employees, bcase.offer_level AS offer_level, '
                                'bcase.response AS response, bcase.responded_on AS responded_on, '
                                'bcase.reply_due AS reply_due, bcase.signed_on AS signed_on, bcase.filed_on '
                                'AS filed_on, bcase.effective_on AS effective_on, row_number() OVER '
                                '(PARTITION BY bcase.offer_year, bcase.ent_path, bcase.enterprise_id ORDER '
                                'BY bcase.offered_on DESC, bcase.id DESC) AS rn, max(CASE WHEN '
                                '(bcase.effective_on IS NOT NULL) THEN 1 ELSE 0 END) OVER (PARTITION BY '
                                'bcase.offer_year, bcase.ent_path, bcase.enterprise_id) AS any_effective \n'
                                'FROM bcase \n'
                                'WHERE bcase.ent_path IS NOT NULL AND bcase.offer_year IS NOT NULL AND '
                                'bcase.offer_year IN (__[POSTCOMPILE_years]) AND bcase.ent_path IN '
                                '(__[POSTCOMPILE_paths]) AND bcase.enterprise_id IS NOT NULL) AS year_cases '
                                'GROUP BY year_cases.ent_path, year_cases.offer_year, band'},
 'recount_cover_enterprises': {'postgresql': 'SELECT enterprise.id, enterprise.org_path, '
                                             'enterprise.employees, enterprise.has_union, '
                                             'enterprise.retired_on \n'
                                             'FROM enterprise \n'
                                             'WHERE enterprise.org_path IN (__[POSTCOMPILE_paths])',
                               'sqlite': 'SELECT enterprise.id, enterprise.org_path, enterprise.employees, '
                                         'enterprise.has_union, enterprise.retired_on \n'
                                         'FROM enterprise \n'
                                         'WHERE enterprise.org_path IN (__[POSTCOMPILE_paths])'},
 'recount_cover_own': {'postgresql': 'SELECT bcase.enterprise_id, bcase.effective_on, bcase.term_end \n'
                                     'FROM bcase \n'
                                     'WHERE bcase.ent_path IN (__[POSTCOMPILE_paths]) AND '
                                     'bcase.enterprise_id IS NOT NULL AND bcase.effective_on IS NOT NULL AND '
                                     'bcase.term_end IS NOT NULL',
                       'sqlite': 'SELECT bcase.enterprise_id, bcase.effective_on, bcase.term_end \n'
                                 'FROM bcase \n'
                                 'WHERE bcase.ent_path IN (__[POSTCOMPILE_paths]) AND bcase.enterprise_id IS '
                                 'NOT NULL AND bcase.effective_on IS NOT NULL AND bcase.term_end IS NOT '
                                 'NULL'},
 'recount_cover_regional': {'postgresql': 'SELECT coverage.enterprise_id, coverage.added_on, '
                                          'coverage.removed_on, rc.effective_on, rc.term_end \n'
                                          'FROM coverage JOIN bcase AS rc ON rc.id = coverage.case_id JOIN '
                                          'enterprise ON enterprise.id = coverage.enterprise_id \n'
                                          'WHERE enterprise.org_path IN (__[POSTCOMPILE_paths]) AND '
                                          'rc.effective_on IS NOT NULL AND rc.term_end IS NOT NULL',
                            'sqlite': 'SELECT coverage.enterprise_id, coverage.added_on, '
                                      'coverage.removed_on, rc.effective_on, rc.term_end \n'
                                      'FROM coverage JOIN bcase AS rc ON rc.id = coverage.case_id JOIN '
                                      'enterprise ON enterprise.id = coverage.enterprise_id \n'
                                      'WHERE enterprise.org_path IN (__[POSTCOMPILE_paths]) AND '
                                      'rc.effective_on IS NOT NULL AND rc.term_end IS NOT NULL'},
 'recount_funnel': {'postgresql': 'SELECT bcase.ent_path, bcase.offer_year, bcase.workflow, event.to_state, '
                                  'count(DISTINCT event.case_id) AS reached, count(DISTINCT CASE WHEN '
                                  '(bcase.state = event.to_state) THEN bcase.id END) AS now \n'
                                  'FROM event JOIN bcase ON bcase.id = event.case_id \n'
                                  'WHERE bcase.ent_path IS NOT NULL AND bcase.offer_year IS NOT NULL AND '
                                  'bcase.offer_year IN (__[POSTCOMPILE_years]) AND bcase.ent_path IN '
                                  '(__[POSTCOMPILE_paths]) AND event.kind = %(kind_1)s::VARCHAR AND NOT '
                                  '(EXISTS (SELECT * \n'
                                  'FROM event AS voiding \n'
                                  "WHERE voiding.case_id = event.case_id AND voiding.kind = 'void' AND "
                                  'voiding.corrects = event.seq)) GROUP BY bcase.ent_path, bcase.offer_year, '
                                  'bcase.workflow, event.to_state',
                    'sqlite': 'SELECT bcase.ent_path, bcase.offer_year, bcase.workflow, event.to_state, '
                              'count(DISTINCT event.case_id) AS reached, count(DISTINCT CASE WHEN '
                              '(bcase.state = event.to_state) THEN bcase.id END) AS now \n'
                              'FROM event JOIN bcase ON bcase.id = event.case_id \n'
                              'WHERE bcase.ent_path IS NOT NULL AND bcase.offer_year IS NOT NULL AND '
                              'bcase.offer_year IN (__[POSTCOMPILE_years]) AND bcase.ent_path IN '
                              '(__[POSTCOMPILE_paths]) AND event.kind = :kind_1 AND NOT (EXISTS (SELECT * \n'
                              'FROM event AS voiding \n'
                              "WHERE voiding.case_id = event.case_id AND voiding.kind = 'void' AND "
                              'voiding.corrects = event.seq)) GROUP BY bcase.ent_path, bcase.offer_year, '
                              'bcase.workflow, event.to_state'},
 'recount_offer_to_reply': {'postgresql': 'SELECT bcase.ent_path, bcase.offer_year, bcase.workflow, '
                                          '(bcase.responded_on - bcase.offer_received_on) AS d, count(*) AS '
                                          'n \n'
                                          'FROM bcase \n'
                                          'WHERE bcase.ent_path IS NOT NULL AND bcase.offer_year IS NOT NULL '
                                          'AND bcase.offer_year IN (__[POSTCOMPILE_years]) AND '
                                          'bcase.ent_path IN (__[POSTCOMPILE_paths]) AND '
                                          'bcase.offer_received_on IS NOT NULL AND bcase.responded_on IS NOT '
                                          'NULL GROUP BY bcase.ent_path, bcase.offer_year, bcase.workflow, '
                                          '(bcase.responded_on - bcase.offer_received_on)',
                            'sqlite': 'SELECT bcase.ent_path, bcase.offer_year, bcase.workflow, '
                                      'CAST(julianday(bcase.responded_on) - '
                                      'julianday(bcase.offer_received_on) AS INTEGER) AS d, count(*) AS n \n'
                                      'FROM bcase \n'
                                      'WHERE bcase.ent_path IS NOT NULL AND bcase.offer_year IS NOT NULL AND '
                                      'bcase.offer_year IN (__[POSTCOMPILE_years]) AND bcase.ent_path IN '
                                      '(__[POSTCOMPILE_paths]) AND bcase.offer_received_on IS NOT NULL AND '
                                      'bcase.responded_on IS NOT NULL GROUP BY bcase.ent_path, '
                                      'bcase.offer_year, bcase.workflow, CAST(julianday(bcase.responded_on) '
                                      '- julianday(bcase.offer_received_on) AS INTEGER)'},
 'recount_reply_to_signing': {'postgresql': 'SELECT bcase.ent_path, bcase.offer_year, bcase.workflow, '
                                            '(bcase.signed_on - bcase.responded_on) AS d, count(*) AS n \n'
                                            'FROM bcase \n'
                                            'WHERE bcase.ent_path IS NOT NULL AND bcase.offer_year IS NOT '
                                            'NULL AND bcase.offer_year IN (__[POSTCOMPILE_years]) AND '
                                            'bcase.ent_path IN (__[POSTCOMPILE_paths]) AND '
                                            'bcase.responded_on IS NOT NULL AND bcase.signed_on IS NOT NULL '
                                            'AND bcase.response = %(response_1)s::VARCHAR GROUP BY '
                                            'bcase.ent_path, bcase.offer_year, bcase.workflow, '
                                            '(bcase.signed_on - bcase.responded_on)',
                              'sqlite': 'SELECT bcase.ent_path, bcase.offer_year, bcase.workflow, '
                                        'CAST(julianday(bcase.signed_on) - julianday(bcase.responded_on) AS '
                                        'INTEGER) AS d, count(*) AS n \n'
                                        'FROM bcase \n'
                                        'WHERE bcase.ent_path IS NOT NULL AND bcase.offer_year IS NOT NULL '
                                        'AND bcase.offer_year IN (__[POSTCOMPILE_years]) AND bcase.ent_path '
                                        'IN (__[POSTCOMPILE_paths]) AND bcase.responded_on IS NOT NULL AND '
                                        'bcase.signed_on IS NOT NULL AND bcase.response = :response_1 GROUP '
                                        'BY bcase.ent_path, bcase.offer_year, bcase.workflow, '
                                        'CAST(julianday(bcase.signed_on) - julianday(bcase.responded_on) AS '
                                        'INTEGER)'},
 'recount_signing_to_effect': {'postgresql': 'SELECT bcase.ent_path, bcase.offer_year, bcase.workflow, '
                                             '(bcase.effective_on - bcase.signed_on) AS d, count(*) AS n \n'
                                             'FROM bcase \n'
                                             'WHERE bcase.ent_path IS NOT NULL AND bcase.offer_year IS NOT '
                                             'NULL AND bcase.offer_year IN (__[POSTCOMPILE_years]) AND '
                                             'bcase.ent_path IN (__[POSTCOMPILE_paths]) AND bcase.signed_on '
                                             'IS NOT NULL AND bcase.effective_on IS NOT NULL GROUP BY '
                                             'bcase.ent_path, bcase.offer_year, bcase.workflow, '
                                             '(bcase.effective_on - bcase.signed_on)',
                               'sqlite': 'SELECT bcase.ent_path, bcase.offer_year, bcase.workflow, '
                                         'CAST(julianday(bcase.effective_on) - julianday(bcase.signed_on) AS '
                                         'INTEGER) AS d, count(*) AS n \n'
                                         'FROM bcase \n'
                                         'WHERE bcase.ent_path IS NOT NULL AND bcase.offer_year IS NOT NULL '
                                         'AND bcase.offer_year IN (__[POSTCOMPILE_years]) AND bcase.ent_path '
                                         'IN (__[POSTCOMPILE_paths]) AND bcase.signed_on IS NOT NULL AND '
                                         'bcase.effective_on IS NOT NULL GROUP BY bcase.ent_path, '
                                         'bcase.offer_year, bcase.workflow, '
                                         'CAST(julianday(bcase.effective_on) - julianday(bcase.signed_on) AS '
                                         'INTEGER)'},
 'renewal_of': {'postgresql': 'SELECT CASE WHEN (bcase.state IN (__[POSTCOMPILE_renewal_states])) THEN '
                              '(SELECT min(later.offered_on) AS min_1 \n'
                              'FROM bcase AS later \n'
                              'WHERE later.enterprise_id = bcase.enterprise_id AND later.id > bcase.id) ELSE '
                              'NULL END AS renewal_offered_on \n'
                              'FROM bcase \n'
                              'WHERE bcase.id = %(case_id)s::INTEGER',
                'sqlite': 'SELECT CASE WHEN (bcase.state IN (__[POSTCOMPILE_renewal_states])) THEN (SELECT '
                          'min(later.offered_on) AS min_1 \n'
                          'FROM bcase AS later \n'
                          'WHERE later.enterprise_id = bcase.enterprise_id AND later.id > bcase.id) ELSE '
                          'NULL END AS renewal_offered_on \n'
                          'FROM bcase \n'
                          'WHERE bcase.id = :case_id'},
 'renewed_by': {'postgresql': 'SELECT renewal.case_id \n'
                              'FROM renewal \n'
                              'WHERE renewal.renews_case_id = %(case_id)s::INTEGER ORDER BY renewal.case_id',
                'sqlite': 'SELECT renewal.case_id \n'
                          'FROM renewal \n'
                          'WHERE renewal.renews_case_id = :case_id ORDER BY renewal.case_id'},
 'renews': {'postgresql': 'SELECT renewal.renews_case_id \n'
                          'FROM renewal \n'
                          'WHERE renewal.case_id = %(case_id)s::INTEGER',
            'sqlite': 'SELECT renewal.renews_case_id \nFROM renewal \nWHERE renewal.case_id = :case_id'},
 'rollup_delete_own': {'postgresql': 'DELETE FROM report_rollup WHERE report_rollup.path IN '
                                     '(__[POSTCOMPILE_paths]) AND (report_rollup.measure NOT LIKE '
                                     "%(measure_1)s::VARCHAR || '%%' ESCAPE '/') AND report_rollup.year IN "
                                     '(__[POSTCOMPILE_years])',
                       'sqlite': 'DELETE FROM report_rollup WHERE report_rollup.path IN '
                                 '(__[POSTCOMPILE_paths]) AND (report_rollup.measure NOT LIKE :measure_1 || '
                                 "'%' ESCAPE '/') AND report_rollup.year IN (__[POSTCOMPILE_years])"},
 'rollup_own': {'postgresql': 'SELECT report_rollup.path, report_rollup.year, report_rollup.band, '
                              'report_rollup.workflow, report_rollup.measure, report_rollup.n \n'
                              'FROM report_rollup \n'
                              'WHERE report_rollup.path IN (__[POSTCOMPILE_paths]) AND '
                              "(report_rollup.measure NOT LIKE %(measure_1)s::VARCHAR || '%%' ESCAPE '/') "
                              'AND report_rollup.year IN (__[POSTCOMPILE_years])',
                'sqlite': 'SELECT report_rollup.path, report_rollup.year, report_rollup.band, '
                          'report_rollup.workflow, report_rollup.measure, report_rollup.n \n'
                          'FROM report_rollup \n'
                          'WHERE report_rollup.path IN (__[POSTCOMPILE_paths]) AND (report_rollup.measure '
                          "NOT LIKE :measure_1 || '%' ESCAPE '/') AND report_rollup.year IN "
                          '(__[POSTCOMPILE_years])'},
 'rollup_years': {'postgresql': 'SELECT DISTINCT report_rollup.year \n'
                                'FROM report_rollup \n'
                                'WHERE report_rollup.path IN (__[POSTCOMPILE_paths])',
                  'sqlite': 'SELECT DISTINCT report_rollup.year \n'
                            'FROM report_rollup \n'
                            'WHERE report_rollup.path IN (__[POSTCOMPILE_paths])'},
 'scan_org': {'postgresql': 'SELECT bcase.id, bcase.workflow, bcase.workflow_version, bcase.state, '
                            'bcase.jurisdiction, bcase.counselor_id, bcase.version, bcase.last_at, '
                            'CAST(bcase.facts AS TEXT) AS facts, bcase.party_org, enterprise.credit_code, '
                            'enterprise.has_union, enterprise.name AS enterprise_name, enterprise.org_code '
                            'AS enterprise_org, CASE WHEN (bcase.state IN (__[POSTCOMPILE_renewal_states])) '
                            'THEN (SELECT min(later.offered_on) AS min_1 \n'
                            'FROM bcase AS later \n'
                            'WHERE later.enterprise_id = bcase.enterprise_id AND later.id > bcase.id) ELSE '
                            'NULL END AS renewal_offered_on, party.name AS party_name \n'
                            'FROM bcase LEFT OUTER JOIN enterprise ON enterprise.id = bcase.enterprise_id '
                            'LEFT OUTER JOIN org AS party ON party.code = bcase.party_org \n'
                            'WHERE bcase.id IN (SELECT own.id \n'
                            'FROM bcase AS own \n'
                            'WHERE own.enterprise_id IN (SELECT enterprise.id \n'
                            'FROM enterprise \n'
                            'WHERE enterprise.org_path >= %(path)s::VARCHAR AND enterprise.org_path < '
                            '%(path_end)s::VARCHAR) UNION ALL SELECT regional.id \n'
                            'FROM bcase AS regional \n'
                            'WHERE regional.party_org IN (SELECT org.code \n'
                            'FROM org \n'
                            'WHERE org.path >= %(path)s::VARCHAR AND org.path < %(path_end)s::VARCHAR)) AND '
                            'bcase.state IN (__[POSTCOMPILE_waiting_states]) ORDER BY bcase.id',
              'sqlite': 'SELECT bcase.id, bcase.workflow, bcase.workflow_version, bcase.state, '
                        'bcase.jurisdiction, bcase.counselor_id, bcase.version, bcase.last_at, '
                        'CAST(bcase.facts AS TEXT) AS facts, bcase.party_org, enterprise.credit_code, '
                        'enterprise.has_union, enterprise.name AS enterprise_name, enterprise.org_code AS '
                        'enterprise_org, CASE WHEN (bcase.state IN (__[POSTCOMPILE_renewal_states])) THEN '
                        '(SELECT min(later.offered_on) AS min_1 \n'
                        'FROM bcase AS later \n'
                        'WHERE later.enterprise_id = bcase.enterprise_id AND later.id > bcase.id) ELSE NULL '
                        'END AS renewal_offered_on, party.name AS party_name \n'
                        'FROM bcase LEFT OUTER JOIN enterprise ON enterprise.id = bcase.enterprise_id LEFT '
                        'OUTER JOIN org AS party ON party.code = bcase.party_org \n'
                        'WHERE bcase.id IN (SELECT own.id \n'
                        'FROM bcase AS own \n'
                        'WHERE own.enterprise_id IN (SELECT enterprise.id \n'
                        'FROM enterprise \n'
                        'WHERE enterprise.org_path >= :path AND enterprise.org_path < :path_end) UNION ALL '
                        'SELECT regional.id \n'
                        'FROM bcase AS regional \n'
                        'WHERE regional.party_org IN (SELECT org.code \n'
                        'FROM org \n'
                        'WHERE org.path >= :path AND org.path < :path_end)) AND bcase.state IN '
                        '(__[POSTCOMPILE_waiting_states]) ORDER BY bcase.id'},
 'state_at': {'postgresql': 'SELECT event.to_state \n'
                            'FROM event \n'
                            'WHERE event.case_id = %(case_id)s::INTEGER AND event.kind = %(kind_1)s::VARCHAR '
                            'AND event.occurred_at <= %(at)s::TIMESTAMP WITHOUT TIME ZONE AND NOT (EXISTS '
                            '(SELECT * \n'
                            'FROM event AS voiding \n'
                            "WHERE voiding.case_id = event.case_id AND voiding.kind = 'void' AND "
                            'voiding.corrects = event.seq)) ORDER BY event.occurred_at DESC, event.seq '
                            'DESC \n'
                            ' LIMIT %(param_1)s::INTEGER',
              'sqlite': 'SELECT event.to_state \n'
                        'FROM event \n'
                        'WHERE event.case_id = :case_id AND event.kind = :kind_1 AND event.occurred_at <= '
                        ':at AND NOT (EXISTS (SELECT * \n'
                        'FROM event AS voiding \n'
                        "WHERE voiding.case_id = event.case_id AND voiding.kind = 'void' AND "
                        'voiding.corrects = event.seq)) ORDER BY event.occurred_at DESC, event.seq DESC\n'
                        ' LIMIT :param_1 OFFSET :param_2'},
 'update_case': {'postgresql': 'UPDATE bcase SET state=%(state)s::VARCHAR, '
                               'counselor_id=%(counselor_id)s::INTEGER, version=%(version)s::INTEGER, '
                               'facts=%(facts)s::JSON, last_at=%(last_at)s::TIMESTAMP WITHOUT TIME ZONE, '
                               'offer_year=%(offer_year)s::INTEGER, offered_on=%(offered_on)s::DATE, '
                               'offer_level=%(offer_level)s::VARCHAR, '
                               'offer_received_on=%(offer_received_on)s::DATE, '
                               'response=%(response)s::VARCHAR, responded_on=%(responded_on)s::DATE, '
                               'reply_due=%(reply_due)s::DATE, signed_on=%(signed_on)s::DATE, '
                               'filed_on=%(filed_on)s::DATE, effective_on=%(effective_on)s::DATE, '
                               'term_start=%(term_start)s::DATE, term_end=%(term_end)s::DATE, '
                               'closed_on=%(closed_on)s::DATE, next_due=%(next_due)s::DATE, '
                               'lapse_due=%(lapse_due)s::DATE WHERE bcase.id = %(k_id)s::INTEGER AND '
                               'bcase.version = %(g_version)s::INTEGER',
                 'sqlite': 'UPDATE bcase SET state=:state, counselor_id=:counselor_id, version=:version, '
                           'facts=:facts, last_at=:last_at, offer_year=:offer_year, offered_on=:offered_on, '
                           'offer_level=:offer_level, offer_received_on=:offer_received_on, '
                           'response=:response, responded_on=:responded_on, reply_due=:reply_due, '
                           'signed_on=:signed_on, filed_on=:filed_on, effective_on=:effective_on, '
                           'term_start=:term_start, term_end=:term_end, closed_on=:closed_on, '
                           'next_due=:next_due, lapse_due=:lapse_due WHERE bcase.id = :k_id AND '
                           'bcase.version = :g_version'},
 'user_by_login': {'postgresql': 'SELECT app_user.id, app_user.login, app_user.name, app_user.password_hash, '
                                 'app_user.active, app_user.counselor_id, app_user.failed_count, '
                                 'app_user.failed_since, app_user.locked_until, app_user.session_version, '
                                 'app_user.token_hash, app_user.created_at \n'
                                 'FROM app_user \n'
                                 'WHERE app_user.login = %(login)s::VARCHAR',
                   'sqlite': 'SELECT app_user.id, app_user.login, app_user.name, app_user.password_hash, '
                             'app_user.active, app_user.counselor_id, app_user.failed_count, '
                             'app_user.failed_since, app_user.locked_until, app_user.session_version, '
                             'app_user.token_hash, app_user.created_at \n'
                             'FROM app_user \n'
                             'WHERE app_user.login = :login'}}

COLUMNS: dict[str, tuple[str, ...]] = {'actor_names': ('login', 'name'),
 'add_coverage': (),
 'add_rollup': (),
 'case_opened': ('opened_at', 'state'),
 'case_resource': ('path', 'counselor_id'),
 'case_terms': ('state', 'term_start', 'term_end'),
 'cases_paths': ('ent_path', 'offer_year'),
 'contract_light': ('case_id',
                    'terms',
                    'min_wage',
                    'place',
                    'term_year',
                    'terms_at',
                    'terms_by',
                    'text',
                    'file_name',
                    'file_kind',
                    'file_size',
                    'file_sha256',
                    'attached_at',
                    'attached_by'),
 'counselor_by_id': ('id',
                     'name',
                     'gender',
                     'birth_date',
                     'education',
                     'training',
                     'employer',
                     'kind',
                     'background',
                     'status',
                     'term_start',
                     'term_end',
                     'phone',
                     'org_code',
                     'org_path',
                     'merged_into'),
 'counselor_names': ('id', 'name'),
 'coverage_delete_own': (),
 'coverage_own_rows': ('path', 'day', 'band', 'unionised', 'active', 'covered', 'workers'),
 'covered_paths': ('org_path',),
 'covering': ('case_id', 'added_on', 'removed_on', 'state', 'effective_on', 'term_end', 'party_org', 'union'),
 'enterprise_by_code': ('id',
                        'credit_code',
                        'name',
                        'org_code',
                        'org_path',
                        'industry',
                        'employees',
                        'has_union',
                        'retired_on',
                        'retired_reason'),
 'events_of': ('id',
               'case_id',
               'seq',
               'kind',
               'trigger',
               'from_state',
               'to_state',
               'occurred_at',
               'recorded_at',
               'actor',
               'counselor_id',
               'data',
               'note',
               'corrects',
               'actor_name',
               'user_name'),
 'grants_of': ('user_id', 'role', 'org_code', 'path'),
 'has_users': ('id',),
 'insert_audit': (),
 'insert_case': (),
 'insert_coverage': (),
 'insert_event': (),
 'insert_rollup': (),
 'last_event': ('id',
                'case_id',
                'seq',
                'kind',
                'trigger',
                'from_state',
                'to_state',
                'occurred_at',
                'recorded_at',
                'actor',
                'counselor_id',
                'data',
                'note',
                'corrects',
                'actor_name',
                'user_name'),
 'load_case': ('id',
               'workflow',
               'workflow_version',
               'state',
               'jurisdiction',
               'counselor_id',
               'version',
               'last_at',
               'facts',
               'party_org',
               'credit_code',
               'has_union'),
 'meta_value': ('value',),
 'offer_years': ('offer_year',),
 'org_by_code': ('id', 'code', 'name', 'kind', 'parent_code', 'path', 'jurisdiction'),
 'org_codes': ('code',),
 'recount_campaign': ('ent_path',
                      'offer_year',
                      'band',
                      'offers',
                      'offers_upper',
                      'accepted',
                      'accepted_on_time',
                      'refused',
                      'pending',
                      'signed',
                      'filed',
                      'effective',
                      'workers_covered'),
 'recount_cover_enterprises': ('id', 'org_path', 'employees', 'has_union', 'retired_on'),
 'recount_cover_own': ('enterprise_id', 'effective_on', 'term_end'),
 'recount_cover_regional': ('enterprise_id', 'added_on', 'removed_on', 'effective_on', 'term_end'),
 'recount_funnel': ('ent_path', 'offer_year', 'workflow', 'to_state', 'reached', 'now'),
 'recount_offer_to_reply': ('ent_path', 'offer_year', 'workflow', 'd', 'n'),
 'recount_reply_to_signing': ('ent_path', 'offer_year', 'workflow', 'd', 'n'),
 'recount_signing_to_effect': ('ent_path', 'offer_year', 'workflow', 'd', 'n'),
 'renewal_of': ('renewal_offered_on',),
 'renewed_by': ('case_id',),
 'renews': ('renews_case_id',),
 'rollup_delete_own': (),
 'rollup_own': ('path', 'year', 'band', 'workflow', 'measure', 'n'),
 'rollup_years': ('year',),
 'scan_org': ('id',
              'workflow',
              'workflow_version',
              'state',
              'jurisdiction',
              'counselor_id',
              'version',
              'last_at',
              'facts',
              'party_org',
              'credit_code',
              'has_union',
              'enterprise_name',
              'enterprise_org',
              'renewal_offered_on',
              'party_name'),
 'state_at': ('to_state',),
 'update_case': (),
 'user_by_login': ('id',
                   'login',
                   'name',
                   'password_hash',
                   'active',
                   'counselor_id',
                   'failed_count',
                   'failed_since',
                   'locked_until',
                   'session_version',
                   'token_hash',
                   'created_at')}

RESULT: dict[str, tuple[str, ...]] = {'actor_names': ('', ''),
 'add_coverage': (),
 'add_rollup': (),
 'case_opened': ('utc', ''),
 'case_resource': ('', ''),
 'case_terms': ('', 'date', 'date'),
 'cases_paths': ('', ''),
 'contract_light': ('', 'json', 'json', '', '', 'utc', '', '', '', '', '', '', 'utc', ''),
 'counselor_by_id': ('', '', '', 'date', '', '', '', '', '', '', 'date', 'date', '', '', '', ''),
 'counselor_names': ('', ''),
 'coverage_delete_own': (),
 'coverage_own_rows': ('', 'date', '', '', '', '', ''),
 'covered_paths': ('',),
 'covering': ('', 'date', 'date', '', 'date', 'date', '', ''),
 'enterprise_by_code': ('', '', '', '', '', '', '', 'bool', 'date', ''),
 'events_of': ('', '', '', '', '', '', '', 'utc', 'utc', '', '', 'json', '', '', '', ''),
 'grants_of': ('', '', '', ''),
 'has_users': ('',),
 'insert_audit': (),
 'insert_case': (),
 'insert_coverage': (),
 'insert_event': (),
 'insert_rollup': (),
 'last_event': ('', '', '', '', '', '', '', 'utc', 'utc', '', '', 'json', '', '', '', ''),
 'load_case': ('', '', '', '', '', '', '', 'utc', '', '', '', 'bool'),
 'meta_value': ('',),
 'offer_years': ('',),
 'org_by_code': ('', '', '', '', '', '', ''),
 'org_codes': ('',),
 'recount_campaign': ('', '', '', '', '', '', '', '', '', '', '', '', ''),
 'recount_cover_enterprises': ('', '', '', 'bool', 'date'),
 'recount_cover_own': ('', 'date', 'date'),
 'recount_cover_regional': ('', 'date', 'date', 'date', 'date'),
 'recount_funnel': ('', '', '', '', '', ''),
 'recount_offer_to_reply': ('', '', '', '', ''),
 'recount_reply_to_signing': ('', '', '', '', ''),
 'recount_signing_to_effect': ('', '', '', '', ''),
 'renewal_of': ('date',),
 'renewed_by': ('',),
 'renews': ('',),
 'rollup_delete_own': (),
 'rollup_own': ('', '', '', '', '', ''),
 'rollup_years': ('',),
 'scan_org': ('', '', '', '', '', '', '', 'utc', '', '', '', 'bool', '', '', 'date', ''),
 'state_at': ('',),
 'update_case': (),
 'user_by_login': ('', '', '', '', 'bool', '', '', 'utc', 'utc', '', '', 'utc')}

BINDS: dict[str, dict[str, str]] = {'add_coverage': {'day': 'date'},
 'insert_audit': {'at': 'utc', 'detail': 'json'},
 'insert_case': {'closed_on': 'date',
                 'effective_on': 'date',
                 'ent_has_union': 'bool',
                 'facts': 'json',
                 'filed_on': 'date',
                 'lapse_due': 'date',
                 'last_at': 'utc',
                 'next_due': 'date',
                 'offer_received_on': 'date',
                 'offered_on': 'date',
                 'opened_at': 'utc',
                 'reply_due': 'date',
                 'responded_on': 'date',
                 'signed_on': 'date',
                 'term_end': 'date',
                 'term_start': 'date'},
 'insert_coverage': {'day': 'date'},
 'insert_event': {'data': 'json', 'occurred_at': 'utc', 'recorded_at': 'utc'},
 'state_at': {'at': 'utc'},
 'update_case': {'closed_on': 'date',
                 'effective_on': 'date',
                 'facts': 'json',
                 'filed_on': 'date',
                 'lapse_due': 'date',
                 'last_at': 'utc',
                 'next_due': 'date',
                 'offer_received_on': 'date',
                 'offered_on': 'date',
                 'reply_due': 'date',
                 'responded_on': 'date',
                 'signed_on': 'date',
                 'term_end': 'date',
                 'term_start': 'date'}}

DEFAULTS: dict[str, dict[str, dict[str, Any]]] = {'has_users': {'postgresql': {'param_1': 1}, 'sqlite': {'param_1': 1, 'param_2': 0}},
 'last_event': {'postgresql': {'param_1': 1}, 'sqlite': {'param_1': 1, 'param_2': 0}},
 'org_codes': {'postgresql': {'param_1': 5000}, 'sqlite': {'param_1': 5000, 'param_2': 0}},
 'recount_campaign': {'postgresql': {'offer_level_1': 'upper',
                                     'response_1': 'accepted',
                                     'response_2': 'accepted',
                                     'response_3': ['refused', 'lapsed']},
                      'sqlite': {'offer_level_1': 'upper',
                                 'response_1': 'accepted',
                                 'response_2': 'accepted',
                                 'response_3': ['refused', 'lapsed']}},
 'recount_funnel': {'postgresql': {'kind_1': 'transition'}, 'sqlite': {'kind_1': 'transition'}},
 'recount_reply_to_signing': {'postgresql': {'response_1': 'accepted'}, 'sqlite': {'response_1': 'accepted'}},
 'rollup_delete_own': {'postgresql': {'measure_1': '*'}, 'sqlite': {'measure_1': '*'}},
 'rollup_own': {'postgresql': {'measure_1': '*'}, 'sqlite': {'measure_1': '*'}},
 'state_at': {'postgresql': {'kind_1': 'transition', 'param_1': 1},
              'sqlite': {'kind_1': 'transition', 'param_1': 1, 'param_2': 0}}}

EXPANDING: dict[str, tuple[str, ...]] = {'actor_names': ('logins',),
 'cases_paths': ('ids',),
 'counselor_names': ('ids',),
 'coverage_delete_own': ('paths',),
 'coverage_own_rows': ('paths',),
 'covered_paths': ('ids',),
 'grants_of': ('user_ids',),
 'recount_campaign': ('paths', 'response_3', 'years'),
 'recount_cover_enterprises': ('paths',),
 'recount_cover_own': ('paths',),
 'recount_cover_regional': ('paths',),
 'recount_funnel': ('paths', 'years'),
 'recount_offer_to_reply': ('paths', 'years'),
 'recount_reply_to_signing': ('paths', 'years'),
 'recount_signing_to_effect': ('paths', 'years'),
 'renewal_of': ('renewal_states',),
 'rollup_delete_own': ('paths', 'years'),
 'rollup_own': ('paths', 'years'),
 'rollup_years': ('paths',),
 'scan_org': ('renewal_states', 'waiting_states')}

# the executemany statements' text with positional parameters, and the parameters' order
Many = dict[str, dict[str, tuple[str, tuple[str, ...]]]]
MANY: Many = {'add_coverage': {'postgresql': ('INSERT INTO coverage_rollup (path, tier, day, band, unionised, active, '
                                 'covered, workers) VALUES (%s::VARCHAR, %s::VARCHAR, %s::DATE, %s::VARCHAR, '
                                 '%s::INTEGER, %s::INTEGER, %s::INTEGER, %s::INTEGER) ON CONFLICT (path, '
                                 'tier, day, band, unionised) DO UPDATE SET active = (coverage_rollup.active '
                                 '+ excluded.active), covered = (coverage_rollup.covered + '
                                 'excluded.covered), workers = (coverage_rollup.workers + excluded.workers)',
                                 ('path',
                                  'tier',
                                  'day',
                                  'band',
                                  'unionised',
                                  'active',
                                  'covered',
                                  'workers')),
                  'sqlite': ('INSERT INTO coverage_rollup (path, tier, day, band, unionised, active, '
                             'covered, workers) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path, tier, '
                             'day, band, unionised) DO UPDATE SET active = (coverage_rollup.active + '
                             'excluded.active), covered = (coverage_rollup.covered + excluded.covered), '
                             'workers = (coverage_rollup.workers + excluded.workers)',
                             ('path', 'tier', 'day', 'band', 'unionised', 'active', 'covered', 'workers'))},
 'add_rollup': {'postgresql': ('INSERT INTO report_rollup (path, year, band, workflow, measure, n) VALUES '
                               '(%s::VARCHAR, %s::INTEGER, %s::VARCHAR, %s::VARCHAR, %s::VARCHAR, '
                               '%s::INTEGER) ON CONFLICT (path, year, band, workflow, measure) DO UPDATE SET '
                               'n = (report_rollup.n + excluded.n)',
                               ('path', 'year', 'band', 'workflow', 'measure', 'n')),
                'sqlite': ('INSERT INTO report_rollup (path, year, band, workflow, measure, n) VALUES (?, ?, '
                           '?, ?, ?, ?) ON CONFLICT (path, year, band, workflow, measure) DO UPDATE SET n = '
                           '(report_rollup.n + excluded.n)',
                           ('path', 'year', 'band', 'workflow', 'measure', 'n'))},
 'insert_case': {'postgresql': ('INSERT INTO bcase (id, enterprise_id, party_org, workflow, '
                                'workflow_version, state, jurisdiction, counselor_id, version, facts, '
                                'opened_at, last_at, offer_year, offered_on, offer_level, offer_received_on, '
                                'response, responded_on, reply_due, signed_on, filed_on, effective_on, '
                                'term_start, term_end, closed_on, ent_path, ent_employees, ent_has_union, '
                                'next_due, lapse_due) VALUES (%s::INTEGER, %s::INTEGER, %s::VARCHAR, '
                                '%s::VARCHAR, %s::INTEGER, %s::VARCHAR, %s::VARCHAR, %s::INTEGER, '
                                '%s::INTEGER, %s::JSON, %s::TIMESTAMP WITHOUT TIME ZONE, %s::TIMESTAMP '
                                'WITHOUT TIME ZONE, %s::INTEGER, %s::DATE, %s::VARCHAR, %s::DATE, '
                                '%s::VARCHAR, %s::DATE, %s::DATE, %s::DATE, %s::DATE, %s::DATE, %s::DATE, '
                                '%s::DATE, %s::DATE, %s::VARCHAR, %s::INTEGER, %s, %s::DATE, %s::DATE)',
                                ('id',
                                 'enterprise_id',
                                 'party_org',
                                 'workflow',
                                 'workflow_version',
                                 'state',
                                 'jurisdiction',
                                 'counselor_id',
                                 'version',
                                 'facts',
                                 'opened_at',
                                 'last_at',
                                 'offer_year',
                                 'offered_on',
                                 'offer_level',
                                 'offer_received_on',
                                 'response',
                                 'responded_on',
                                 'reply_due',
                                 'signed_on',
                                 'filed_on',
                                 'effective_on',
                                 'term_start',
                                 'term_end',
                                 'closed_on',
                                 'ent_path',
                                 'ent_employees',
                                 'ent_has_union',
                                 'next_due',
                                 'lapse_due')),
                 'sqlite': ('INSERT INTO bcase (id, enterprise_id, party_org, workflow, workflow_version, '
                            'state, jurisdiction, counselor_id, version, facts, opened_at, last_at, '
                            'offer_year, offered_on, offer_level, offer_received_on, response, responded_on, '
                            'reply_due, signed_on, filed_on, effective_on, term_start, term_end, closed_on, '
                            'ent_path, ent_employees, ent_has_union, next_due, lapse_due) VALUES (?, ?, ?, '
                            '?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '
                            '?)',
                            ('id',
                             'enterprise_id',
                             'party_org',
                             'workflow',
                             'workflow_version',
                             'state',
                             'jurisdiction',
                             'counselor_id',
                             'version',
                             'facts',
                             'opened_at',
                             'last_at',
                             'offer_year',
                             'offered_on',
                             'offer_level',
                             'offer_received_on',
                             'response',
                             'responded_on',
                             'reply_due',
                             'signed_on',
                             'filed_on',
                             'effective_on',
                             'term_start',
                             'term_end',
                             'closed_on',
                             'ent_path',
                             'ent_employees',
                             'ent_has_union',
                             'next_due',
                             'lapse_due'))},
 'insert_coverage': {'postgresql': ('INSERT INTO coverage_rollup (path, tier, day, band, unionised, active, '
                                    'covered, workers) VALUES (%s::VARCHAR, %s::VARCHAR, %s::DATE, '
                                    '%s::VARCHAR, %s::INTEGER, %s::INTEGER, %s::INTEGER, %s::INTEGER)',
                                    ('path',
                                     'tier',
                                     'day',
                                     'band',
                                     'unionised',
                                     'active',
                                     'covered',
                                     'workers')),
                     'sqlite': ('INSERT INTO coverage_rollup (path, tier, day, band, unionised, active, '
                                'covered, workers) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                                ('path',
                                 'tier',
                                 'day',
                                 'band',
                                 'unionised',
                                 'active',
                                 'covered',
                                 'workers'))},
 'insert_event': {'postgresql': ('INSERT INTO event (case_id, seq, kind, trigger, from_state, to_state, '
                                 'occurred_at, recorded_at, actor, counselor_id, data, note, corrects, '
                                 'actor_name) VALUES (%s::INTEGER, %s::INTEGER, %s::VARCHAR, %s::VARCHAR, '
                                 '%s::VARCHAR, %s::VARCHAR, %s::TIMESTAMP WITHOUT TIME ZONE, %s::TIMESTAMP '
                                 'WITHOUT TIME ZONE, %s::VARCHAR, %s::INTEGER, %s::JSON, %s::VARCHAR, '
                                 '%s::INTEGER, %s::VARCHAR)',
                                 ('case_id',
                                  'seq',
                                  'kind',
                                  'trigger',
                                  'from_state',
                                  'to_state',
                                  'occurred_at',
                                  'recorded_at',
                                  'actor',
                                  'counselor_id',
                                  'data',
                                  'note',
                                  'corrects',
                                  'actor_name')),
                  'sqlite': ('INSERT INTO event (case_id, seq, kind, "trigger", from_state, to_state, '
                             'occurred_at, recorded_at, actor, counselor_id, data, note, corrects, '
                             'actor_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                             ('case_id',
                              'seq',
                              'kind',
                              'trigger',
                              'from_state',
                              'to_state',
                              'occurred_at',
                              'recorded_at',
                              'actor',
                              'counselor_id',
                              'data',
                              'note',
                              'corrects',
                              'actor_name'))},
 'insert_rollup': {'postgresql': ('INSERT INTO report_rollup (path, year, band, workflow, measure, n) VALUES '
                                  '(%s::VARCHAR, %s::INTEGER, %s::VARCHAR, %s::VARCHAR, %s::VARCHAR, '
                                  '%s::INTEGER)',
                                  ('path', 'year', 'band', 'workflow', 'measure', 'n')),
                   'sqlite': ('INSERT INTO report_rollup (path, year, band, workflow, measure, n) VALUES (?, '
                              '?, ?, ?, ?, ?)',
                              ('path', 'year', 'band', 'workflow', 'measure', 'n'))},
 'update_case': {'postgresql': ('UPDATE bcase SET state=%s::VARCHAR, counselor_id=%s::INTEGER, '
                                'version=%s::INTEGER, facts=%s::JSON, last_at=%s::TIMESTAMP WITHOUT TIME '
                                'ZONE, offer_year=%s::INTEGER, offered_on=%s::DATE, offer_level=%s::VARCHAR, '
                                'offer_received_on=%s::DATE, response=%s::VARCHAR, responded_on=%s::DATE, '
                                'reply_due=%s::DATE, signed_on=%s::DATE, filed_on=%s::DATE, '
                                'effective_on=%s::DATE, term_start=%s::DATE, term_end=%s::DATE, '
                                'closed_on=%s::DATE, next_due=%s::DATE, lapse_due=%s::DATE WHERE bcase.id = '
                                '%s::INTEGER AND bcase.version = %s::INTEGER',
                                ('state',
                                 'counselor_id',
                                 'version',
                                 'facts',
                                 'last_at',
                                 'offer_year',
                                 'offered_on',
                                 'offer_level',
                                 'offer_received_on',
                                 'response',
                                 'responded_on',
                                 'reply_due',
                                 'signed_on',
                                 'filed_on',
                                 'effective_on',
                                 'term_start',
                                 'term_end',
                                 'closed_on',
                                 'next_due',
                                 'lapse_due',
                                 'k_id',
                                 'g_version')),
                 'sqlite': ('UPDATE bcase SET state=?, counselor_id=?, version=?, facts=?, last_at=?, '
                            'offer_year=?, offered_on=?, offer_level=?, offer_received_on=?, response=?, '
                            'responded_on=?, reply_due=?, signed_on=?, filed_on=?, effective_on=?, '
                            'term_start=?, term_end=?, closed_on=?, next_due=?, lapse_due=? WHERE bcase.id = '
                            '? AND bcase.version = ?',
                            ('state',
                             'counselor_id',
                             'version',
                             'facts',
                             'last_at',
                             'offer_year',
                             'offered_on',
                             'offer_level',
                             'offer_received_on',
                             'response',
                             'responded_on',
                             'reply_due',
                             'signed_on',
                             'filed_on',
                             'effective_on',
                             'term_start',
                             'term_end',
                             'closed_on',
                             'next_due',
                             'lapse_due',
                             'k_id',
                             'g_version'))}}

# the plain inserts among them: their table, which PostgreSQL takes the same rows into by COPY
COPY: dict[str, str] = {'insert_case': 'bcase',
 'insert_coverage': 'coverage_rollup',
 'insert_event': 'event',
 'insert_rollup': 'report_rollup'}
