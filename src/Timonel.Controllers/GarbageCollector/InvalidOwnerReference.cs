namespace Timonel.Controllers.GarbageCollector;

/// <summary>A dependent whose owner reference names a namespaced owner outside the dependent's namespace.</summary>
internal sealed record InvalidOwnerReference(ObjectIdentity Dependent, ObjectIdentity Owner);
