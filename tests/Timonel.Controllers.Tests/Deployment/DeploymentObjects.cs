using System.Globalization;
using k8s.Models;

namespace Timonel.Controllers.Tests.Deployment;

/// <summary>Deployments and ReplicaSets as the API server would store them, for the deployment controller's tests.</summary>
internal static class DeploymentObjects
{
    public const string Namespace = "ns-1";
    public const string Uid = "d-uid";
    public static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static V1Deployment DeploymentObject(int replicas, string image = "nginx:1.27", string? maxSurge = "25%", string? maxUnavailable = "25%", string strategy = "RollingUpdate") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = Namespace, Uid = Uid, Generation = 1, ResourceVersion = "10" },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Strategy = strategy == "Recreate"
                ? new V1DeploymentStrategy { Type = "Recreate" }
                : new V1DeploymentStrategy { Type = strategy, RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = maxSurge, MaxUnavailable = maxUnavailable } },
            RevisionHistoryLimit = 10,
            ProgressDeadlineSeconds = 600,
            Template = Template(image),
        },
        Status = new V1DeploymentStatus(),
    };

    public static V1PodTemplateSpec Template(string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
    };

    /// <summary>A ReplicaSet the Deployment owns, as the controller would have made it, with its pods all counted.</summary>
    public static V1ReplicaSet ReplicaSetObject(string hash, string image, int replicas, int available, long revision, int desired, int max, int ageMinutes)
    {
        var template = Template(image);
        template.Metadata.Labels["pod-template-hash"] = hash;
        return new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"web-{hash}",
                NamespaceProperty = Namespace,
                Uid = $"rs-{hash}",
                Generation = 1,
                CreationTimestamp = Start.AddMinutes(-ageMinutes),
                Labels = new Dictionary<string, string>(template.Metadata.Labels),
                Annotations = new Dictionary<string, string>
                {
                    ["deployment.kubernetes.io/revision"] = revision.ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/desired-replicas"] = desired.ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/max-replicas"] = max.ToString(CultureInfo.InvariantCulture),
                },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web", Uid = Uid, Controller = true, BlockOwnerDeletion = true }],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = hash } },
                Template = template,
            },
            Status = new V1ReplicaSetStatus { Replicas = replicas, ReadyReplicas = available, AvailableReplicas = available, ObservedGeneration = 1 },
        };
    }
}
