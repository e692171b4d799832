/** Official report tables: rows and mapping, periods, counters, the report, its renderings, the HTTP route. */
export { PROVINCE_ROWS, DISTRICT_ROWS, ROWS, REPORT_FORMATS, rowOfLabel, rowMapping, loadRowMapping, type ReportFormat, type RowMapping } from './rows.ts';
export { parsePeriod, fiscalYearPeriod, monthPeriod, monthOf, fiscalYearOf, ReportInputError, type ReportPeriod, type PeriodInput } from './period.ts';
export { buildReport, buildReportFromCases, percent, UnknownUnitError, type ReportJson, type ReportQuery, type ReportCounts } from './build.ts';
export { renderText, toCsv, toXlsx, thaiDate, periodLabel, periodSlug, reportFileName, type RenderOptions } from './render.ts';
export { toThaiDigits } from '../thaiDate.ts';
export { applyEventCounters, reportFieldsFor, reportCounterModel, factsOf } from './counters.ts';
export { createReportsRouter, lineIdTokenAuthenticator, anyOf, type Authenticate, type ReportsRouterDeps } from './http.ts';
