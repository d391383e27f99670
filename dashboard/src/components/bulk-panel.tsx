import { useEffect, useState } from 'preact/hooks';
import { ExportMutation, JobProgressSubscription, JobRowErrorsQuery } from '../documents';
import type { DashboardJobProgressSubscription, DashboardJobRowErrorsQuery } from '../generated/graphql';
import { downloadExport, uploadCsv } from '../live/bulk';
import type { LiveConnection } from '../live/connection';
import { request } from '../live/http';

type Job = DashboardJobProgressSubscription['jobProgress'];
type RowError = NonNullable<DashboardJobRowErrorsQuery['job']>['rowErrors'][number];

/** Follows a job over jobProgress until it finishes. */
function useJob(connection: LiveConnection, id: string | null): Job | null {
  const [job, setJob] = useState<Job | null>(null);
  useEffect(() => {
    setJob(null);
    if (!id) return;
    return connection.subscribe({ document: JobProgressSubscription, variables: () => ({ id }), next: (d) => setJob(d.jobProgress), resumeOnComplete: false });
  }, [connection, id]);
  return job;
}

const finished = (job: Job | null) => job?.state === 'COMPLETED' || job?.state === 'FAILED';

export function BulkPanel({ token, connection }: { token: string; connection: LiveConnection }) {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'UPSERT' | 'CREATE_ONLY'>('UPSERT');
  const [importId, setImportId] = useState<string | null>(null);
  const [exportId, setExportId] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [rowErrors, setRowErrors] = useState<RowError[]>([]);
  const [download, setDownload] = useState<string | null>(null);
  const imported = useJob(connection, importId);
  const exported = useJob(connection, exportId);

  useEffect(() => {
    if (!imported || !finished(imported) || imported.failedRows === 0) return;
    request(token, JobRowErrorsQuery, { id: imported.id })
      .then((d) => setRowErrors(d.job?.rowErrors ?? []))
      .catch((err: Error) => setError(err.message));
  }, [token, imported?.id, imported?.state]);

  useEffect(() => {
    if (exported?.state !== 'COMPLETED' || !exported.downloadUrl) return;
    downloadExport(token, exported.downloadUrl)
      .then(setDownload)
      .catch((err: Error) => setError(err.message));
  }, [token, exported?.state]);

  const startImport = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setError('');
    setRowErrors([]);
    try {
      setImportId((await uploadCsv(token, file, mode)).id);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const startExport = async () => {
    setError('');
    setDownload(null);
    try {
      const result = await request(token, ExportMutation, {});
      if (result.exportProducts.userErrors.length) throw new Error(result.exportProducts.userErrors[0]!.message);
      setExportId(result.exportProducts.job!.id);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const percent = imported ? Math.round(imported.progress * 100) : 0;
  return (
    <section class="panel bulk" aria-labelledby="bulk-title">
      <h2 id="bulk-title">Import and export</h2>
      <form class="import-form" onSubmit={startImport}>
        <label for="csv-file">CSV file</label>
        <input id="csv-file" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        <label for="import-mode">Existing SKUs</label>
        <select id="import-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as typeof mode)}>
          <option value="UPSERT">Update them</option>
          <option value="CREATE_ONLY">Report them as errors</option>
        </select>
        <button type="submit" disabled={!file || (imported !== null && !finished(imported))}>
          Import
        </button>
      </form>
      {imported && (
        <div class="job" data-testid="import-job">
          <progress max={100} value={percent} aria-label="Import progress" data-testid="import-progress" />
          <span class="job-status">
            {percent}% · {imported.state.toLowerCase()} · {imported.succeededRows} imported, {imported.failedRows} failed
            {imported.totalRows != null && ` of ${imported.totalRows} rows`}
          </span>
          {imported.error && <p class="error">{imported.error}</p>}
        </div>
      )}
      {rowErrors.length > 0 && (
        <div class="table-scroll">
          <table data-testid="row-errors">
            <caption>Rows that were not imported</caption>
            <thead>
              <tr>
                <th scope="col" class="num">Row</th>
                <th scope="col">Field</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {rowErrors.map((e) => (
                <tr key={`${e.row}-${e.field}`}>
                  <td class="num">{e.row}</td>
                  <td>{e.field ?? '—'}</td>
                  <td class="wrap">{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="export">
        <button type="button" onClick={startExport} disabled={exported !== null && !finished(exported)}>
          Export catalog as CSV
        </button>
        {exported && !finished(exported) && <span class="muted"> Exporting… {exported.processedRows} rows</span>}
        {download && (
          <a href={download} download="products.csv" data-testid="export-link">
            Download products.csv ({exported?.processedRows} rows)
          </a>
        )}
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </section>
  );
}
