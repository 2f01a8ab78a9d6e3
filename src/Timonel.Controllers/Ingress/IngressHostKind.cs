namespace Timonel.Controllers.Ingress;

/// <summary>What an Ingress rule's host matches, most specific first: one host, one label under a domain, any host.</summary>
public enum IngressHostKind
{
    Exact,
    Wildcard,
    Any,
}
