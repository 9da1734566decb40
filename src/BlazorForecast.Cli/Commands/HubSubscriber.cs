using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Cli.Commands;

/// <summary>One hub client: the epochs it has (from the join snapshot and live events) and whether it saw the end.</summary>
internal sealed class HubSubscriber
{
    private readonly ConcurrentDictionary<int, bool> _epochs = new();
    private readonly ConcurrentQueue<TimeSpan> _delays = new();
    private readonly TaskCompletionSource<RunStatus> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HubSubscriber(HubConnection connection)
    {
        Connection = connection;
        connection.On<RunEpochCompleted>("EpochCompleted", epoch =>
        {
            _delays.Enqueue(DateTime.UtcNow - epoch.CompletedAt);
            _epochs[epoch.Epoch] = true;
        });
        connection.On<RunStatusChanged>("StatusChanged", status =>
        {
            if (status.Status is not (RunStatus.Queued or RunStatus.Running))
            {
                _ended.TrySetResult(status.Status);
            }
        });
    }

    public HubConnection Connection { get; }

    /// <summary>Connects clients to the server's hub as its admin (each its own connection).</summary>
    public static async Task<IReadOnlyList<HubSubscriber>> ConnectAsync(AppServerProcess server, int count)
    {
        ArgumentNullException.ThrowIfNull(server);
        var subscribers = Enumerable.Range(0, count).Select(_ => new HubSubscriber(new HubConnectionBuilder()
            .WithUrl(new Uri(server.Address, TrainingHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(server.ApiToken))
            .AddJsonProtocol(json => json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build())).ToList();
        await Task.WhenAll(subscribers.Select(s => s.Connection.StartAsync()));
        return subscribers;
    }

    public IEnumerable<TimeSpan> Delays => _delays;

    public async Task JoinAsync(int runId)
    {
        var snapshot = await Connection.InvokeAsync<RunSnapshot>(nameof(TrainingHub.JoinRun), runId);
        foreach (var epoch in snapshot.Epochs)
        {
            _epochs[epoch.Epoch] = true;
        }

        if (snapshot.Status is not (RunStatus.Queued or RunStatus.Running))
        {
            _ended.TrySetResult(snapshot.Status);
        }
    }

    public async Task<bool> EndedWithAllEpochsAsync(int epochs, CancellationToken cancellationToken)
    {
        try
        {
            return await _ended.Task.WaitAsync(cancellationToken) == RunStatus.Succeeded
                && Enumerable.Range(1, epochs).All(_epochs.ContainsKey);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
