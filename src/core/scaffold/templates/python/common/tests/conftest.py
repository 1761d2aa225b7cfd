# Why: puts the project folder and tests/ on sys.path, so the tests import the workload's modules and local_run like main.py does.
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]
