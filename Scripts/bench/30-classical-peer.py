"""scikit-learn side of 30-classical.sh: fit times of the same models on the same folder.

Prints `task wall_s cpu_s` lines. BLAS threads are limited to --threads (threadpoolctl); SVC
(libsvm) is single-threaded in scikit-learn whatever the setting.
"""

import argparse
import pathlib
import time

import numpy as np
from PIL import Image
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

CLASSES = "angry disgust fear happy neutral sad surprise".split()


def load(directory):
    xs, ys = [], []
    for label, name in enumerate(CLASSES):
        for path in sorted((pathlib.Path(directory) / name).iterdir()):
            xs.append(np.asarray(Image.open(path).convert("L"), dtype=np.float32).reshape(-1) / 255)
            ys.append(label)
    return np.stack(xs), np.array(ys)


def timed(task, body):
    wall, cpu = time.perf_counter(), time.process_time()
    result = body()
    print(f"{task}\t{time.perf_counter() - wall:.2f}\t{time.process_time() - cpu:.2f}", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--tasks", default="logreg,pca,pca-randomized,svm")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    x, y = load(args.directory)
    x = StandardScaler().fit_transform(x)
    print("task\twall_s\tcpu_s")
    components = None
    with threadpool_limits(limits=args.threads):
        for task in args.tasks.split(","):
            if task == "logreg":
                timed(task, lambda: OneVsRestClassifier(LogisticRegression(C=1.0, max_iter=100)).fit(x, y))
            elif task in ("pca", "pca-randomized"):
                solver = "full" if task == "pca" else "randomized"
                model = timed(task, lambda: PCA(250, svd_solver=solver, random_state=0).fit(x))
                components = model.transform(x)
            elif task == "svm":
                features = components if components is not None else PCA(250).fit_transform(x)
                timed(task, lambda: SVC(C=10.0, gamma="scale").fit(features, y))


if __name__ == "__main__":
    main()
