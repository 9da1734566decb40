using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using BlazorForecast.Web.Hosting;
using Microsoft.Extensions.Logging;

namespace BlazorForecast.Web.Tests.Hosting;

public sealed class UnobservedTaskExceptionLoggerTests
{
    [Fact]
    public async Task AFailedTaskNobodyAwaited_IsLoggedAsAnError_WhileStarted_AndNotAfterStop()
    {
        var logger = new RecordingLogger();
        var service = new UnobservedTaskExceptionLogger(logger);

        await service.StartAsync(CancellationToken.None);
        var marker = Guid.NewGuid().ToString("N");
        await CollectUntilAsync(() => logger.Errors.Any(e => e.Message == marker), marker);
        await service.StopAsync(CancellationToken.None);
        var after = Guid.NewGuid().ToString("N");
        AbandonFailedTask(after);
        await Task.Delay(50);
        Collect();

        Assert.Contains(logger.Errors, e => e.Message == marker);
        Assert.DoesNotContain(logger.Errors, e => e.Message == after);
    }

    // The finalizer of a faulted task nobody observed raises the event; a few collections make sure it ran.
    private static async Task CollectUntilAsync(Func<bool> logged, string marker)
    {
        for (var attempt = 0; attempt < 20 && !logged(); attempt++)
        {
            AbandonFailedTask(marker);
            Collect();
            await Task.Delay(20);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonFailedTask(string message) => _ = Task.Run(() => throw new InvalidOperationException(message));

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private sealed class RecordingLogger : ILogger<UnobservedTaskExceptionLogger>
    {
        private readonly ConcurrentQueue<Exception> _errors = new();

        public IEnumerable<Exception> Errors => _errors.SelectMany(e => e is AggregateException a ? a.Flatten().InnerExceptions : [e]);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error && exception is not null)
            {
                _errors.Enqueue(exception);
            }
        }
    }
}
