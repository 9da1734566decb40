using System.Runtime.InteropServices;

namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// glibc's malloc moves its mmap and trim thresholds as memory is freed. With libtorch's per-batch tensors of a few
/// hundred kilobytes, that adaptation sometimes leaves a training thread mapping, faulting in and handing back memory
/// on every batch: the same seeded training took 4 s or 20 s of CPU from run to run, the difference spent in the
/// kernel. Fixed thresholds keep such buffers in the heap. The price is that every malloc arena may keep up to the trim
/// threshold of freed memory, and glibc makes up to eight arenas per core for the threads that allocate: a server that
/// trained all day grew by a few hundred megabytes an hour in the soak benchmark. So the arenas are capped too, and
/// <see cref="ReleaseFreeMemory"/> hands back what the arenas' free lists hold once a training has ended. Applied once
/// per process, only where glibc is the C library and the operator has not set GLIBC_TUNABLES.
/// </summary>
public static class NativeAllocatorTuning
{
    private const int TrimThresholdOption = -1;
    private const int MmapThresholdOption = -3;
    private const int MmapThresholdBytes = 32 << 20;
    private const int TrimThresholdBytes = 64 << 20;
    private const int ArenaMaxOption = -8;

    /// <summary>Arenas beside the main one: enough for concurrent trainings and the web server's threads.</summary>
    private const int MaxArenas = 4;

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>True when the thresholds and the arena cap were set by this process.</summary>
    public static bool EnsureApplied() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GLIBC_TUNABLES")))
        {
            return false;
        }

        try
        {
            return Glibc.mallopt(MmapThresholdOption, MmapThresholdBytes) == 1
                & Glibc.mallopt(TrimThresholdOption, TrimThresholdBytes) == 1
                & Glibc.mallopt(ArenaMaxOption, MaxArenas) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Returns the free memory on every malloc arena's free lists, and the main arena's top, to the system (glibc's
    /// malloc_trim); a few milliseconds, meant for when a training has ended, not between batches. Does nothing where
    /// glibc is not the C library.
    /// </summary>
    public static void ReleaseFreeMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = Glibc.malloc_trim(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): nothing to hand back this way.
        }
    }

    private static class Glibc
    {
        [DllImport("libc.so.6", ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int malloc_trim(nuint pad);

        [DllImport("libc.so.6", ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int mallopt(int parameter, int value);
    }
}
