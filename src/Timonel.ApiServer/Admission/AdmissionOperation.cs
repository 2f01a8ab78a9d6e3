namespace Timonel.ApiServer.Admission;

/// <summary>The operations admission sees (k8s.io/apiserver/pkg/admission Operation).</summary>
public enum AdmissionOperation
{
    Create,
    Update,
    Delete,
    Connect,
}
