# Why: the scraping example's workload: a job manager that plans one ScrapeTask per page blob and a SummarizeTask that depends on all of them.
from __future__ import annotations

from typing import Any

from azure.batch import BatchServiceClient

from batch_manager import (
    InputFileSpecification,
    JobManager,
    JobManagerBuilder,
    JobCompletedContext,
    JobManagerContext,
    OutputFileSpecification,
    WorkloadBase,
    input_from_output,
)
from scraping_tasks import ScrapeTask, ScrapeTaskBuilder, SummarizeTask


class ScrapingJobManager(JobManager):
    """Job args: {"pagesContainer", "pagesPrefix", "outputContainer"} — "scrapes" every blob under the prefix (no network needed)."""

    def create_job(self) -> None:
        account = self.context.settings.storage_account_name
        if not account:
            raise ValueError("BATCH_STORAGE_ACCOUNT_NAME is needed: the pages and results live in the runtime's storage account")
        pages, prefix, output = self.args["pagesContainer"], self.args["pagesPrefix"], self.args["outputContainer"]
        blobs = self.context.storage.container_client(account, pages).list_blobs(name_starts_with=prefix)
        scrapes, results = [], []
        for blob in sorted(blobs, key=lambda b: b.name):
            name = blob.name[len(prefix) :]
            task = self.add_workload_task(ScrapeTask, {"page": name, "output": f"{name}.json"}, display_name=f"scrape {name}")
            task.input_files.append(InputFileSpecification(account, pages, blob.name, name))
            results.append(task.add_output_file(OutputFileSpecification(f"{name}.json", account, output, f"{self.job_id}/pages/{name}.json")))
            scrapes.append(task)
        self.logger.info(f"planned {len(scrapes)} scrape task(s)")
        summarize = self.add_workload_task(SummarizeTask, {"resultsDirectory": "results"}, scrapes, id="summarize", display_name="summarize")
        summarize.input_files.extend(input_from_output(result, f"results/{result.source_file_path}") for result in results)
        summarize.output_files.append(OutputFileSpecification("report.json", account, output, f"{self.job_id}/report.json", summarize.id))


class ScrapingJobManagerBuilder(JobManagerBuilder):
    def build(self, context: JobManagerContext) -> ScrapingJobManager:
        return ScrapingJobManager(context)


class ScrapingWorkload(WorkloadBase):
    def __init__(self, batch_client: BatchServiceClient) -> None:
        super().__init__(batch_client=batch_client, job_manager_builder_type=ScrapingJobManagerBuilder)
        self._entry_points_repository.register_entry_point(ScrapeTask, ScrapeTaskBuilder)
        self._entry_points_repository.register_entry_point(SummarizeTask)

    @property
    def workload_name(self) -> str:
        return "scraping"

    def on_job_completed(self, summary: dict[str, Any], context: JobCompletedContext) -> None:
        """Runs in the FinalizeTask before the callback: adds what the workload itself wants its receiver to know."""
        scraped = [t for t in summary["tasks"] if t.get("entryPoint") == "ScrapeTask" and t.get("result") == "success"]
        summary["workloadResult"] = {"pagesScraped": len(scraped)}
        context.logger.info(f"{len(scraped)} page(s) scraped in job {context.job_id}")
