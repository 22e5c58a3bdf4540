"""scikit-learn's side of benches/classification_metrics.rs: a worker the bench drives round by round.

The bench writes the labels to a file (all true labels, then all predicted ones, one byte each)
and starts this script with that file and the number of labels. For each line "run N" on stdin it
calls precision_recall_fscore_support(average="macro") N times and prints the nanoseconds they
took, measured here, so the pipe's own cost is not charged to scikit-learn. The first line it
prints names the versions.

    python benches/sklearn_metrics.py LABELS_FILE COUNT
"""

import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.metrics import precision_recall_fscore_support


def main():
    path, count = sys.argv[1], int(sys.argv[2])
    labels = np.fromfile(path, dtype=np.uint8)
    if labels.size != 2 * count:
        sys.exit(f"{path} holds {labels.size} bytes, not 2 x {count}")
    truth, predicted = labels[:count], labels[count:]
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}", flush=True)
    warnings.simplefilter("ignore")
    for line in sys.stdin:
        command, n = line.split()
        if command != "run":
            sys.exit(f"unknown command {command!r}")
        start = time.perf_counter_ns()
        for _ in range(int(n)):
            precision_recall_fscore_support(truth, predicted, average="macro")
        print(time.perf_counter_ns() - start, flush=True)


if __name__ == "__main__":
    main()
