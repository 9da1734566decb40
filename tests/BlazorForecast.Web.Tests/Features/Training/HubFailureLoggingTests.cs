using System.Collections.Concurrent;
using System.Security.Claims;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorForecast.Web.Tests.Features.Training;

public sealed class HubFailureLoggingTests
{
    [Fact]
    public async Task JoiningARunThatDoesNotExist_AnswersTheCaller_AndLogsNoError()
    {
        var log = new CapturingLoggerProvider();
        await using var app = new ForecastAppFactory(services: s => s.AddSingleton<ILoggerProvider>(log));
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, TrainingHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(app.AdminToken);
            })
            .Build();
        await hub.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>("JoinRun", 4242));

        Assert.Contains("There is no run 4242.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task AHubMethodThatReallyFails_IsLoggedAsAnError_AndACallersMistakeIsNot()
    {
        var log = new CapturingLoggerProvider();
        var filter = new HubFailureLogging(new LoggerFactory([log]).CreateLogger<HubFailureLogging>());
        var context = new HubInvocationContext(new CallerContext(), new ServiceCollection().BuildServiceProvider(), new EmptyHub(),
            typeof(TrainingHub).GetMethod(nameof(TrainingHub.JoinRun))!, [7]);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await filter.InvokeMethodAsync(context, _ => throw new InvalidOperationException("database is locked")));
        await Assert.ThrowsAsync<HubException>(async () => await filter.InvokeMethodAsync(context, _ => throw new HubException("There is no run 7.")));

        var logged = Assert.Single(log.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("The hub method JoinRun failed", logged.Message);
        Assert.Equal("database is locked", logged.Exception?.Message);
    }

    private sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<Entry> _entries = new();

        public IReadOnlyCollection<Entry> Entries => _entries;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
        }
    }

    private sealed class EmptyHub : Hub;

    private sealed class CallerContext : HubCallerContext
    {
        public override string ConnectionId => "test";

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User => new();

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort()
        {
        }
    }
}
