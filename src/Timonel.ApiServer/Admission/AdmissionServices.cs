using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// What admission plugins may consult while a request is admitted: the stores (a LimitRange, a quota, the pod a node
/// asks about), the authorizer (may this user approve, bind, escalate) and the clock.
/// </summary>
public sealed record AdmissionServices(StoreRegistry Registry, IAuthorizer Authorizer, TimeProvider Time);
