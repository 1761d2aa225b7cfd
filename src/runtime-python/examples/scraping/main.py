# Why: the scraping example's entry point, exactly the seed's main: one script plays submit, job manager, task and FinalizeTask.
import logging
from pathlib import Path

from batch_manager import Application, BatchClientFactory, BatchClientSettings, setup_logging
from scraping_workload import ScrapingWorkload

logger = logging.getLogger(__name__)
if __name__ == "__main__":
    setup_logging(Path(Path(__file__).parent, "logging.yaml"))
    settings = BatchClientSettings()
    client = BatchClientFactory.create(settings)
    app = Application(ScrapingWorkload(batch_client=client))
    app.run()
