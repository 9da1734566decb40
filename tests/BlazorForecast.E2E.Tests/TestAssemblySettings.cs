// Each browser test starts its own server and Chromium, and some train real models; run side by side on a
// two-core machine they starve each other's Blazor circuits. One at a time keeps their waits meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
