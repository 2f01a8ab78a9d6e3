using System.Threading.Channels;
using k8s;
using k8s.Models;
using Timonel.Client.Informers;

namespace Timonel.Client.Tests.Informers;

/// <summary>
/// A list-watch the test scripts: each list answers the next queued list; each watch reads events the test sends
/// until the test ends it. Records where every watch started.
/// </summary>
internal sealed class ScriptedListWatch
{
    private readonly Queue<(IReadOnlyList<V1ConfigMap> Items, string ResourceVersion)> _lists = new();
    private readonly Channel<Channel<Step>> _watches = Channel.CreateUnbounded<Channel<Step>>();

    public int ListCount { get; private set; }

    public List<string> WatchedFrom { get; } = [];

    public ListWatch<V1ConfigMap> Source => new("configmaps", ListAsync, WatchAsync);

    public void QueueList(string resourceVersion, params V1ConfigMap[] items) => _lists.Enqueue((items, resourceVersion));

    /// <summary>The next watch the informer opens, for the test to send events on.</summary>
    public async Task<ChannelWriter<Step>> NextWatchAsync() => (await _watches.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Writer;

    public static V1ConfigMap ConfigMap(string name, string resourceVersion, string value = "v") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", ResourceVersion = resourceVersion },
        Data = new Dictionary<string, string> { ["k"] = value },
    };

    private Task<(IReadOnlyList<V1ConfigMap> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        ListCount++;
        return Task.FromResult(_lists.Dequeue());
    }

    private async IAsyncEnumerable<(WatchEventType Type, V1ConfigMap Object)> WatchAsync(
        string resourceVersion, Action<Exception> onError, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (WatchedFrom)
        {
            WatchedFrom.Add(resourceVersion);
        }

        var steps = Channel.CreateUnbounded<Step>();
        await _watches.Writer.WriteAsync(steps, cancellationToken);
        await foreach (var step in steps.Reader.ReadAllAsync(cancellationToken))
        {
            if (step.Error is IOException broken)
            {
                // The connection failing midway: the enumeration throws, as KubernetesClient's does.
                throw broken;
            }

            if (step.Error is not null)
            {
                onError(step.Error);
            }
            else
            {
                yield return (step.Type, step.Object!);
            }
        }
    }

    /// <summary>One thing a watch delivers: an event, or an ERROR event's Status (as KubernetesClient reports it).</summary>
    internal sealed record Step(WatchEventType Type, V1ConfigMap? Object, Exception? Error = null)
    {
        public static Step Gone() => new(WatchEventType.Error, null, new KubernetesException(new V1Status { Code = 410, Reason = "Expired" }));

        public static Step ConnectionLost() => new(WatchEventType.Error, null, new IOException("connection reset"));
    }
}
