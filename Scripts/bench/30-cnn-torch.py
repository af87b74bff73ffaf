"""Peer of `emocl-bench cnn-train` / `cnn-infer`: the same VGG-style CNN in PyTorch (CPU).

Prints `train_images_per_s`, `train_peak_rss_mb`, `infer_images_per_s` (batch 64) and `latency_ms`
(batch 1), each the best of --repeats timed blocks after a warm-up, with --threads intra-op
threads.
"""

import argparse
import resource
import time

import torch
from torch import nn


def vgg(widths=(32, 64, 128, 256), hidden=256, classes=7):
    layers, channels = [], 1
    for w in widths:
        for _ in range(2):
            layers += [nn.Conv2d(channels, w, 3, padding=1, bias=False), nn.BatchNorm2d(w),
                       nn.ReLU(inplace=True)]
            channels = w
        layers.append(nn.MaxPool2d(2))
    layers += [nn.Dropout(0.3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, hidden),
               nn.ReLU(inplace=True), nn.Dropout(0.5), nn.Linear(hidden, classes)]
    return nn.Sequential(*layers)


def best(block, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        block()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--size", type=int, default=44)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = vgg()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, nesterov=True,
                          weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    x = torch.randn(args.batch, 1, args.size, args.size)
    y = torch.randint(0, 7, (args.batch,))

    def train(steps):
        for _ in range(steps):
            opt.zero_grad(set_to_none=True)
            loss_fn(net(x), y).backward()
            opt.step()

    net.train()
    train(2)
    seconds = best(lambda: train(args.steps), args.repeats)
    print(f"train_images_per_s {args.batch * args.steps / seconds:.1f}")
    # Whole process, as for Emocl: Python and the torch library included (Linux: KiB).
    print(f"train_peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")

    net.eval()
    with torch.no_grad():
        net(x)
        seconds = best(lambda: [net(x) for _ in range(args.steps)], args.repeats)
        print(f"infer_images_per_s {args.batch * args.steps / seconds:.1f}")
        one = x[:1]
        for _ in range(10):
            net(one)
        singles = 50
        seconds = best(lambda: [net(one) for _ in range(singles)], args.repeats)
        print(f"latency_ms {seconds / singles * 1000:.3f}")


if __name__ == "__main__":
    main()
