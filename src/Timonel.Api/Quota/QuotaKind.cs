namespace Timonel.Api.Quota;

/// <summary>A kind quota counts, by group and URL name ("" and "pods").</summary>
public readonly record struct QuotaKind(string Group, string Resource)
{
    public static QuotaKind Pods { get; } = new("", "pods");

    public static QuotaKind Services { get; } = new("", "services");

    public static QuotaKind PersistentVolumeClaims { get; } = new("", "persistentvolumeclaims");

    /// <summary>The object count name: "count/pods" for core, "count/deployments.apps" otherwise.</summary>
    public string CountName => Group.Length == 0 ? $"count/{Resource}" : $"count/{Resource}.{Group}";
}
