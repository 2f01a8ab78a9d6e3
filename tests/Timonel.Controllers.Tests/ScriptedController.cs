using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Tests;

/// <summary>A controller whose syncs do what the test scripts, in turn, and record the keys they were given.</summary>
internal sealed class ScriptedController : ControllerBase
{
    private readonly Queue<Func<string, SyncResult>> _script = new();

    public ScriptedController(TimeProvider time, params IReadOnlyList<ISharedInformer> informers)
        : base(NullLogger.Instance, time, informers)
    {
    }

    public List<string> Synced { get; } = [];

    /// <summary>Completes with each key synced, for tests that run the workers.</summary>
    public TaskCompletionSource<string> NextSync { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ScriptedController Then(Func<string, SyncResult> sync)
    {
        _script.Enqueue(sync);
        return this;
    }

    public ScriptedController ThenFail() => Then(key => throw new HttpRequestException($"syncing {key} failed"));

    public void Add(string key) => Enqueue(key);

    public override Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        Synced.Add(key);
        try
        {
            return Task.FromResult(_script.TryDequeue(out var sync) ? sync(key) : SyncResult.Done);
        }
        finally
        {
            NextSync.TrySetResult(key);
        }
    }
}
