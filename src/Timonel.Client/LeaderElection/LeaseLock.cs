using System.Globalization;
using System.Runtime.CompilerServices;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Client.LeaderElection;

/// <summary>
/// An election held on a coordination.k8s.io/v1 Lease (client-go's resourcelock.LeaseLock): the record is the Lease's
/// spec, and every update replaces the Lease last read or written, so its resourceVersion makes the write conditional.
/// </summary>
public sealed class LeaseLock : IResourceLock
{
    private readonly ILeaseClient _client;
    private readonly string _namespace;
    private readonly string _name;
    private readonly string _eventSource;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private V1Lease? _lease;

    /// <param name="eventSource">The component its events name as their source ("kube-controller-manager").</param>
    public LeaseLock(ILeaseClient client, string ns, string name, string identity, string eventSource, TimeProvider time, ILogger logger)
    {
        _client = client;
        _namespace = ns;
        _name = name;
        Identity = identity;
        _eventSource = eventSource;
        _time = time;
        _logger = logger;
    }

    public string Identity { get; }

    public string Describe => $"{_namespace}/{_name}";

    public async Task<LeaderElectionRecord?> GetAsync(CancellationToken cancellationToken)
    {
        var lease = await _client.GetAsync(_namespace, _name, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return null;
        }

        _lease = lease;
        return ToRecord(lease.Spec);
    }

    public async IAsyncEnumerable<LeaderElectionRecord> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // _lease stays as read or written: taking a watched version would let an update judged on an older record
        // overwrite a newer one.
        await foreach (var lease in _client.WatchAsync(_namespace, _name, cancellationToken).ConfigureAwait(false))
        {
            yield return ToRecord(lease.Spec);
        }
    }

    public async Task CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken)
    {
        _lease = await _client.CreateAsync(
            new V1Lease
            {
                ApiVersion = "coordination.k8s.io/v1",
                Kind = "Lease",
                Metadata = new V1ObjectMeta { Name = _name, NamespaceProperty = _namespace },
                Spec = ToSpec(record),
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken)
    {
        // client-go's text for the same mistake (leaselock.go).
        var lease = _lease ?? throw new InvalidOperationException("lease not initialized, call get or create first");
        _lease = await _client.ReplaceAsync(
            new V1Lease { ApiVersion = "coordination.k8s.io/v1", Kind = "Lease", Metadata = lease.Metadata, Spec = ToSpec(record) },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task RecordEventAsync(string message, CancellationToken cancellationToken)
    {
        if (_lease is not { } lease)
        {
            return;
        }

        // leaselock.go's RecordEvent: a Normal "LeaderElection" event on the Lease saying "<identity> <message>",
        // named as client-go's recorder names events (<object>.<unix nanoseconds in hex>).
        var now = _time.GetUtcNow();
        var nanoseconds = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
        var coreEvent = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = $"{_name}.{nanoseconds.ToString("x", CultureInfo.InvariantCulture)}", NamespaceProperty = _namespace },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "coordination.k8s.io/v1",
                Kind = "Lease",
                NamespaceProperty = _namespace,
                Name = _name,
                Uid = lease.Uid(),
                ResourceVersion = lease.ResourceVersion(),
            },
            Reason = "LeaderElection",
            Message = $"{Identity} {message}",
            Type = "Normal",
            Source = new V1EventSource { Component = _eventSource },
            ReportingComponent = _eventSource,
            ReportingInstance = Identity,
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
        };
        try
        {
            await _client.CreateEventAsync(coreEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Events are best effort, as client-go's recorder drops what it cannot write.
            _logger.LogWarning("could not record event {Reason} on lease {Lease}: {Message}", coreEvent.Reason, Describe, ex.Message);
        }
    }

    // resourcelock.LeaseSpecToLeaderElectionRecord: absent fields read as their zero values.
    private static LeaderElectionRecord ToRecord(V1LeaseSpec? spec) => new(
        spec?.HolderIdentity ?? "",
        spec?.LeaseDurationSeconds ?? 0,
        ToTime(spec?.AcquireTime),
        ToTime(spec?.RenewTime),
        spec?.LeaseTransitions ?? 0);

    private static DateTimeOffset ToTime(DateTime? time) =>
        time is { } t ? new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()) : DateTimeOffset.MinValue;

    private static V1LeaseSpec ToSpec(LeaderElectionRecord record) => new()
    {
        HolderIdentity = record.HolderIdentity,
        LeaseDurationSeconds = record.LeaseDurationSeconds,
        AcquireTime = record.AcquireTime.UtcDateTime,
        RenewTime = record.RenewTime.UtcDateTime,
        LeaseTransitions = record.LeaderTransitions,
    };
}
