using Microsoft.Extensions.Logging;
using Timonel.Client.Components;
using Timonel.Client.Events;

namespace Timonel.Client.LeaderElection;

/// <summary>Builds leader-elected components on a Lease in kube-system, as kube-controller-manager and kube-scheduler elect.</summary>
public static class LeaseElection
{
    /// <summary>kube-controller-manager's lease (--leader-elect-resource-name's default), also its events' source.</summary>
    public const string ControllerManager = "kube-controller-manager";

    /// <summary>cloud-controller-manager's lease (its --leader-elect-resource-name's default), also its events' source.</summary>
    public const string CloudControllerManager = "cloud-controller-manager";

    /// <summary>kube-scheduler's lease (--leader-elect-resource-name's default).</summary>
    public const string Scheduler = "kube-scheduler";

    /// <summary>The source of kube-scheduler's leader election events: its first profile's scheduler name (options.go).</summary>
    public const string SchedulerEventSource = "default-scheduler";

    /// <summary>--leader-elect-resource-namespace's default.</summary>
    public const string Namespace = "kube-system";

    /// <summary>
    /// A component named <paramref name="name"/> that runs <paramref name="factory"/>'s component only while this
    /// process holds kube-system/<paramref name="leaseName"/>, campaigning as a fresh <c>&lt;hostname&gt;_&lt;uuid&gt;</c>.
    /// </summary>
    /// <param name="eventSource">The component its "became leader" events name; null: the lease name (kube-controller-manager's case).</param>
    public static IComponent Run(string name, string leaseName, Func<IComponent> factory, ClusterConnection connection, ILoggerFactory loggerFactory, TimeProvider time, string? eventSource = null)
    {
        var client = connection.CreateClient();
        var identity = LeaderIdentity.New();
        // The election's events go through a core/v1 recorder of their own (kube-scheduler's leader election uses its
        // legacy recorder too), as the component that source names: no host, as kube-controller-manager's.
        var events = new EventBroadcaster(new KubernetesEventSink(client), time, loggerFactory.CreateLogger<EventBroadcaster>());
        var resourceLock = new LeaseLock(new KubernetesLeaseClient(client), Namespace, leaseName, identity, events.NewRecorder(eventSource ?? leaseName));
        // kube-scheduler hands its lease back on a graceful stop (ReleaseOnCancel, options.go); kube-controller-manager
        // does not, as it stops by exiting. Every Timonel component stops gracefully with its server, and releasing lets the
        // other server take over at its next retry instead of a lease duration later.
        var config = new LeaderElectionConfig { ReleaseOnCancel = true };
        var elector = new LeaderElector(resourceLock, config, time, loggerFactory.CreateLogger<LeaderElector>());
        return new LeaderElectedComponent(name, factory, elector, identity, loggerFactory.CreateLogger<LeaderElectedComponent>(), new ElectionResources(events, client));
    }
}
