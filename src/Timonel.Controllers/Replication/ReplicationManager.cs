using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Controllers.ReplicaSet;

namespace Timonel.Controllers.Replication;

/// <summary>
/// Keeps spec.replicas pods for every ReplicationController: kube-controller-manager's replication controller, which
/// upstream builds as its ReplicaSet controller over ReplicationControllers converted to ReplicaSets
/// (pkg/controller/replication/replication_controller.go, NewReplicationManager); so does this one.
/// </summary>
public static class ReplicationManager
{
    /// <summary>The component events are reported by (upstream's replication manager's recorder).</summary>
    public const string Component = "replication-controller";

    public static ReplicaSetController Create(IKubernetes client, SharedInformer<V1ReplicationController> replicationControllers, SharedInformer<V1Pod> pods, IEventRecorder events, TimeProvider time, ILogger logger) =>
        new(client, new ReplicationControllers(replicationControllers), pods, events, time, logger);
}
