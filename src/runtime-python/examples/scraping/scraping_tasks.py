# Why: the scraping example's tasks: ScrapeTask extracts a page's title, links and words; SummarizeTask gathers every page's result into report.json.
from __future__ import annotations

import json
import os
from html.parser import HTMLParser

from batch_manager import TaskBuildContext, TaskContext, WorkloadTask, WorkloadTaskBuilder


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.links: list[str] = []
        self.text: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_title = tag == "title"
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False if tag == "title" else self._in_title

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data.strip()
        self.text.append(data)


class ScrapeTask(WorkloadTask):
    """Args: {"page": "<file in the working directory>", "output": "<result file>"}; a page saying FAIL-SCRAPE fails the task."""

    def __init__(self, min_word_length: int = 1) -> None:
        self.min_word_length = min_word_length

    def run(self, context: TaskContext) -> None:
        page, output = context.args["page"], context.args["output"]
        with open(os.path.join(context.directories.working, page), encoding="utf-8") as file:
            html = file.read()
        parser = _PageParser()
        parser.feed(html)
        context.logger.debug(f"parsed {page}", extra={"fields": {"links": len(parser.links)}})
        context.report_progress(50, f"parsed {page}")
        if "FAIL-SCRAPE" in html:
            raise ValueError(f"{page} asks this task to fail")
        words = [w for w in " ".join(parser.text).split() if len(w) >= self.min_word_length]
        result = {"page": page, "title": parser.title, "links": parser.links, "words": len(words)}
        with open(os.path.join(context.directories.working, output), "w", encoding="utf-8") as file:
            json.dump(result, file)
        context.report_progress(100, f"scraped {page}: {len(parser.links)} links")


class ScrapeTaskBuilder(WorkloadTaskBuilder):
    """Builds ScrapeTask on the node (here: counts only words of 3 letters or more)."""

    def build(self, context: TaskBuildContext) -> ScrapeTask:
        context.logger.debug(f"building ScrapeTask for task {context.task_id}")
        return ScrapeTask(min_word_length=3)


class SummarizeTask(WorkloadTask):
    """Args: {"resultsDirectory": "results"}; writes report.json from every result there."""

    def run(self, context: TaskContext) -> None:
        directory = os.path.join(context.directories.working, context.args["resultsDirectory"])
        pages = []
        for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
            with open(os.path.join(directory, name), encoding="utf-8") as file:
                result = json.load(file)
            pages.append({"name": name, "title": result["title"], "links": len(result["links"]), "words": result["words"]})
        report = {"pages": pages, "totalLinks": sum(p["links"] for p in pages)}
        with open(os.path.join(context.directories.working, "report.json"), "w", encoding="utf-8") as file:
            json.dump(report, file, indent=2)
        context.report_progress(100, f"summarized {len(pages)} pages")
