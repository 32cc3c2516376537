"""PyTorch side of `npm run bench`: the models of bench/models.ts, trained the same way (random data, batch 64,
Adam 1e-3, softmax cross-entropy), reported as samples/s. Prints one JSON object on stdout.

Usage: python3 pytorch_bench.py '{"lenet5": 2048, "miniResnet": 512}' '[1, 2]'
(the second argument: thread counts to measure at; by default 1 and torch's default)
"""
import json
import sys
import time

import torch
from torch import nn

BATCH_SIZE = 64
WARMUP_BATCHES = 2
FAST_STEP_QUANTILE = 0.1  # as bench/train.ts


def lenet5() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )


class ResidualBlock(nn.Module):
    def __init__(self, in_channels: int, channels: int, stride: int):
        super().__init__()
        self.first = nn.Conv2d(in_channels, channels, 3, stride=stride, padding=1)
        self.second = nn.Conv2d(channels, channels, 3, padding=1)
        self.shortcut = nn.Identity() if stride == 1 else nn.Conv2d(in_channels, channels, 1, stride=stride)

    def forward(self, x):
        return torch.relu(self.second(torch.relu(self.first(x))) + self.shortcut(x))


def mini_resnet() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(),
        ResidualBlock(16, 16, 1),
        ResidualBlock(16, 32, 2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(32, 10),
    )


MODELS = {"lenet5": (lenet5, (1, 28, 28)), "miniResnet": (mini_resnet, (3, 32, 32))}


def samples_per_second(key: str, samples: int) -> dict:
    """Samples trained per second of wall-clock time, of this process's CPU time, and of the fastest steps (the
    FAST_STEP_QUANTILE of each batch's wall-clock time)."""
    build, shape = MODELS[key]
    torch.manual_seed(0)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    xs = torch.rand(samples, *shape)
    ys = torch.randint(0, 10, (samples,))

    def train(count: int) -> list:
        step_ends = []
        for start in range(0, count, BATCH_SIZE):
            optimizer.zero_grad()
            loss = loss_fn(model(xs[start:start + BATCH_SIZE]), ys[start:start + BATCH_SIZE])
            loss.backward()
            optimizer.step()
            step_ends.append(time.perf_counter())
        return step_ends

    train(WARMUP_BATCHES * BATCH_SIZE)
    start, start_cpu = time.perf_counter(), time.process_time()
    step_ends = train(samples)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    steps = sorted(end - begin for begin, end in zip([start] + step_ends[:-1], step_ends))
    fast_step = steps[min(len(steps) - 1, int(FAST_STEP_QUANTILE * len(steps)))]
    return {"wall": samples / wall, "cpu": samples / cpu, "fastSteps": BATCH_SIZE / fast_step}


def main() -> None:
    samples = json.loads(sys.argv[1])
    default_threads = torch.get_num_threads()
    thread_counts = json.loads(sys.argv[2]) if len(sys.argv) > 2 else [1, default_threads]
    runs = {}
    for threads in sorted(set(thread_counts)):
        torch.set_num_threads(threads)
        runs[threads] = {key: samples_per_second(key, count) for key, count in samples.items()}
    print(json.dumps({"torch": torch.__version__, "defaultThreads": default_threads,
                      "byThreads": {str(threads): result for threads, result in runs.items()}}))


if __name__ == "__main__":
    main()
