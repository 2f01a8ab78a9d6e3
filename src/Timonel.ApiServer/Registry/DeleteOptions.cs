namespace Timonel.ApiServer.Registry;

/// <summary>metav1.DeleteOptions as the store uses them.</summary>
public sealed record DeleteOptions(long? GracePeriodSeconds = null, string? PropagationPolicy = null, string? PreconditionUid = null, string? PreconditionResourceVersion = null, bool DryRun = false);
