using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Timonel.Client.LeaderElection;

namespace Timonel.Client.Tests.LeaderElection;

/// <summary>
/// One Lease store shared by every candidate of a test, with the API server's rules: creates fail when the Lease
/// exists, replaces fail unless they carry the stored resourceVersion; watches get the Lease as stored, then each
/// write. Knobs: failing every call (an unreachable API server), failing only reads or only watches, and a hook run
/// before the next replace (another candidate writing in between).
/// </summary>
internal sealed class FakeLeaseClient : ILeaseClient
{
    private readonly Lock _lock = new();
    private V1Lease? _lease;
    private readonly List<Channel<V1Lease>> _watches = [];
    private int _version;
    private int _undelivered;

    /// <summary>When set, every call throws as a request to an unreachable server does.</summary>
    public bool Unreachable { get; set; }

    /// <summary>When set, reads (GET) throw as a request to an unreachable server does; writes and open watches go on.</summary>
    public bool GetUnreachable { get; set; }

    /// <summary>When set, opening a watch throws.</summary>
    public bool WatchUnreachable { get; set; }

    /// <summary>How many watches are open.</summary>
    public int Watches
    {
        get
        {
            lock (_lock)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>
    /// Watch events not yet handled by their watcher: one counts as handled when the watcher asks for the next, so at
    /// zero every watcher has acted on every write.
    /// </summary>
    public int Undelivered => Volatile.Read(ref _undelivered);

    /// <summary>Runs once, before the next replace is checked.</summary>
    public Func<Task>? BeforeNextReplace { get; set; }

    /// <summary>The stored Lease's spec, or null when there is none.</summary>
    public V1LeaseSpec? Spec
    {
        get
        {
            lock (_lock)
            {
                return _lease is null ? null : Copy(_lease).Spec;
            }
        }
    }

    public string? Holder => Spec?.HolderIdentity;

    public Task<V1Lease?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        if (GetUnreachable)
        {
            throw new HttpRequestException("connection refused");
        }

        lock (_lock)
        {
            return Task.FromResult(_lease is null ? null : Copy(_lease));
        }
    }

    public Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        lock (_lock)
        {
            if (_lease is not null)
            {
                throw Status(HttpStatusCode.Conflict);
            }

            _lease = Stored(lease);
            Broadcast();
            return Task.FromResult(Copy(_lease));
        }
    }

    public async Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        if (BeforeNextReplace is { } hook)
        {
            BeforeNextReplace = null;
            await hook();
        }

        lock (_lock)
        {
            if (_lease is null)
            {
                throw Status(HttpStatusCode.NotFound);
            }

            if (lease.ResourceVersion() != _lease.ResourceVersion())
            {
                throw Status(HttpStatusCode.Conflict);
            }

            _lease = Stored(lease);
            Broadcast();
            return Copy(_lease);
        }
    }

    public async IAsyncEnumerable<V1Lease> WatchAsync(string ns, string name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        if (WatchUnreachable)
        {
            throw new HttpRequestException("connection refused");
        }

        var watch = Channel.CreateUnbounded<V1Lease>();
        lock (_lock)
        {
            _watches.Add(watch);
            if (_lease is not null)
            {
                Send(watch, _lease);
            }
        }

        try
        {
            await foreach (var lease in watch.Reader.ReadAllAsync(cancellationToken))
            {
                yield return lease;
                Interlocked.Decrement(ref _undelivered);
            }
        }
        finally
        {
            lock (_lock)
            {
                _watches.Remove(watch);
            }
        }
    }

    private void Broadcast()
    {
        foreach (var watch in _watches)
        {
            Send(watch, _lease!);
        }
    }

    private void Send(Channel<V1Lease> watch, V1Lease lease)
    {
        Interlocked.Increment(ref _undelivered);
        watch.Writer.TryWrite(Copy(lease));
    }

    private V1Lease Stored(V1Lease lease)
    {
        var stored = Copy(lease);
        stored.Metadata.ResourceVersion = (++_version).ToString(CultureInfo.InvariantCulture);
        stored.Metadata.Uid ??= "lease-uid";
        return stored;
    }

    // Through JSON, as a real client gets its own copy of what the server stores.
    private static V1Lease Copy(V1Lease lease) => KubernetesJson.Deserialize<V1Lease>(KubernetesJson.Serialize(lease));

    private void ThrowIfUnreachable()
    {
        if (Unreachable)
        {
            throw new HttpRequestException("connection refused");
        }
    }

    private static HttpOperationException Status(HttpStatusCode code) => new($"Operation returned an invalid status code '{code}'")
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code), ""),
    };
}
