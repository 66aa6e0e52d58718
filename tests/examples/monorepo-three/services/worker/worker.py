"""The worker of the monorepo example: processes one batch of jobs and exits."""

import json


def process(jobs):
    return [job.upper() for job in jobs]


if __name__ == "__main__":
    print("worker: processed " + json.dumps(process(["resize", "index"])))
