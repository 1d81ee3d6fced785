"""Every size and count the tool accepts, in one place: checked before work starts, so that no input (a careless
`size = 1000000`, `--steps 1e12`, a 1 GB file) exhausts memory or runs without end. The README's table of
limits is tested against these values."""

from __future__ import annotations

MAX_FILE_BYTES = 1_000_000  # a spec or an answers file
MAX_TITLE = 200  # characters of a title, a student id or a quantity
MAX_LAYER_SIZE = 1_024  # neurons in one layer, inputs included
MAX_LAYERS = 64
MAX_PARAMETERS = 200_000  # weights and biases of a network (MNIST's 784-128-10 has 101 770)
MAX_SAMPLES = 10_000  # samples in a spec
MAX_DERIVED = 30_000  # derive, render, check: parameters × samples written out (784-32-10, one sample: 25 450)
MAX_DECIMALS = 30  # --decimals, display.decimals, training.rounding
MAX_DIGITS = 30  # --digits, display.digits
MAX_PATHS = 10_000  # --max-paths, display.max_paths: the path sums written out in full
MAX_ITERATIONS = 1_000  # render --iterations: rows of the lecture's table of the loss
MAX_TRAINING_VALUES = 2_000_000  # train: updates × parameters recorded (the history of every parameter)
MAX_ROUNDED_UPDATES = 1_000  # train with [training] rounding: each update is exact arithmetic
MAX_ANSWER_STEP = 50  # an answer's `step`: the network after that many updates
MAX_TIME_LIMIT = 3_600.0  # check --time-limit, seconds per answer
MAX_JOBS = 64  # check --jobs
MAX_CLASS_FILES = 5_000  # answers files in a class directory
