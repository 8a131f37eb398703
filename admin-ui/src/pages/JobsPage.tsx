/** The BullMQ board (bull-board, served by the API at /admin/queues behind the same session). */
export function JobsPage() {
  return (
    <section aria-labelledby="jobs-title" className="jobs-page">
      <div className="page-head">
        <h1 id="jobs-title">Queues</h1>
        <a className="button" href="/admin/queues" target="_blank" rel="noreferrer">
          Open the board in a new tab
        </a>
      </div>
      <iframe className="queues-frame" src="/admin/queues" title="BullMQ queues board" />
    </section>
  );
}
