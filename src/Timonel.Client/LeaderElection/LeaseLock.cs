using System.Runtime.CompilerServices;
using k8s.Models;
using Timonel.Client.Events;

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
    private readonly IEventRecorder? _events;
    private V1Lease? _lease;

    /// <param name="events">Records the election's events (its source the component: "kube-controller-manager"); null records none.</param>
    public LeaseLock(ILeaseClient client, string ns, string name, string identity, IEventRecorder? events)
    {
        _client = client;
        _namespace = ns;
        _name = name;
        Identity = identity;
        _events = events;
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

    public Task RecordEventAsync(string message, CancellationToken cancellationToken)
    {
        // leaselock.go's RecordEvent: a Normal "LeaderElection" event on the Lease saying "<identity> <message>",
        // through the component's recorder, which writes it later (or drops it) and never fails the election.
        if (_lease is { } lease && _events is { } events)
        {
            events.Event(new V1Lease { ApiVersion = "coordination.k8s.io/v1", Kind = "Lease", Metadata = lease.Metadata }, "Normal", "LeaderElection", $"{Identity} {message}");
        }

        return Task.CompletedTask;
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
