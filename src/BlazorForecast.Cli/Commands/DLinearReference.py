"""DLinear on Exchange-Rate under the DLinear paper's protocol, in PyTorch, for `bench exchange --reference`.

Written for BlazorForecast to check its TorchSharp engine against the paper's own framework: the protocol of
cure-lab/LTSF-Linear (run_longExp.py, Dataset_Custom, exp_main.py) with the first DLinear (both linear maps start at
1/L, the version behind the published tables). Split 70/10/20 by whole rows, standard scaling fit on the training rows,
windows whose targets stay inside their segment; Adam, MSE, the learning rate kept for two epochs and then halved
every epoch, early stopping on validation with patience and the best weights restored. As in that code, the training
and validation loaders shuffle and drop their last incomplete batch. The test score covers every test window.

Usage: python3 DLinearReference.py CSV LOOKBACK HORIZON BATCH LEARNING_RATE SEED EPOCHS PATIENCE
Prints one JSON object: mse, mae (standardised, all series and test windows), best_epoch, epochs, windows, points (windows × horizon × series).
"""
import csv
import json
import sys

import numpy as np
import torch
import torch.nn as nn


def read_columns(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return np.array([[float(value) for value in row[1:]] for row in rows[1:] if row], dtype=np.float64)


class DLinear(nn.Module):
    def __init__(self, lookback, horizon, kernel=25):
        super().__init__()
        self.pad = (kernel - 1) // 2
        self.average = nn.AvgPool1d(kernel, stride=1)
        self.seasonal = nn.Linear(lookback, horizon)
        self.trend = nn.Linear(lookback, horizon)
        # That version also built a third linear layer it never used; building it keeps the random draws of model
        # construction, and so each seed's initial biases and the batch orders after them, the same as there.
        self.unused = nn.Linear(lookback, horizon)
        with torch.no_grad():
            self.seasonal.weight.fill_(1.0 / lookback)
            self.trend.weight.fill_(1.0 / lookback)

    def forward(self, x):
        padded = torch.cat([x[:, :1, :].repeat(1, self.pad, 1), x, x[:, -1:, :].repeat(1, self.pad, 1)], dim=1)
        trend = self.average(padded.permute(0, 2, 1))
        seasonal = x.permute(0, 2, 1) - trend
        return (self.seasonal(seasonal) + self.trend(trend)).permute(0, 2, 1)


def main():
    path = sys.argv[1]
    lookback, horizon, batch = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rate, seed, epochs, patience = float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
    torch.set_num_threads(1)
    torch.manual_seed(seed)

    data = read_columns(path)
    rows = len(data)
    train_rows, test_rows = int(rows * 0.7), int(rows * 0.2)
    starts = [0, train_rows - lookback, rows - test_rows - lookback]
    ends = [train_rows, rows - test_rows, rows]
    train = data[:train_rows]
    scaled = ((data - train.mean(axis=0)) / train.std(axis=0)).astype(np.float32)

    def windows(segment):
        part = scaled[starts[segment]:ends[segment]]
        count = len(part) - lookback - horizon + 1
        inputs = np.stack([part[i:i + lookback] for i in range(count)])
        targets = np.stack([part[i + lookback:i + lookback + horizon] for i in range(count)])
        return torch.from_numpy(inputs), torch.from_numpy(targets)

    segments = [windows(s) for s in range(3)]
    model = DLinear(lookback, horizon)
    loss_of = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=rate)

    def shuffled_batches(segment):
        inputs, targets = segments[segment]
        order = torch.randperm(len(inputs))
        for start in range(0, len(inputs) // batch * batch, batch):
            chosen = order[start:start + batch]
            yield inputs[chosen], targets[chosen]

    best_loss, best_state, best_epoch, waited, epoch = None, None, 0, 0, 0
    for epoch in range(1, epochs + 1):
        model.train()
        for inputs, targets in shuffled_batches(0):
            optimizer.zero_grad()
            loss_of(model(inputs), targets).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            validation = float(np.mean([loss_of(model(i), t).item() for i, t in shuffled_batches(1)]))
        if best_loss is None or validation < best_loss:
            best_loss, best_epoch, waited = validation, epoch, 0
            best_state = {name: value.clone() for name, value in model.state_dict().items()}
        else:
            waited += 1
            if waited >= patience:
                break
        for group in optimizer.param_groups:
            group["lr"] = rate * 0.5 ** (epoch - 1)

    model.load_state_dict(best_state)
    model.eval()
    with torch.no_grad():
        inputs, targets = segments[2]
        errors = model(inputs) - targets
    print(json.dumps({
        "mse": errors.pow(2).mean().item(),
        "mae": errors.abs().mean().item(),
        "best_epoch": best_epoch,
        "epochs": epoch,
        "windows": len(inputs),
        "points": errors.numel(),
    }))


if __name__ == "__main__":
    main()
