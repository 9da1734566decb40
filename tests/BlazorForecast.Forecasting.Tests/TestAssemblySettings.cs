// libtorch's random generator is process-global: two trainings seeding and drawing from it at once interleave their
// draws, so reproducibility tests would flake. The web app trains one run per device at a time for the same reason.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
