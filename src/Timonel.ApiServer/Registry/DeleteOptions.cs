namespace Timonel.ApiServer.Registry;

/// <summary>
/// metav1.DeleteOptions as the store uses them. The deprecated orphanDependents is already folded into
/// <see cref="PropagationPolicy"/>; <see cref="OrphanDependents"/> keeps what the client sent, which only decides
/// the answer's status code.
/// </summary>
public sealed record DeleteOptions(long? GracePeriodSeconds = null, string? PropagationPolicy = null, string? PreconditionUid = null, string? PreconditionResourceVersion = null, bool DryRun = false, bool? OrphanDependents = null);
