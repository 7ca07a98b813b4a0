import Foundation
import OpenADRAPI

/// VEN registrations and their resources. A VEN registering itself (`VEN_VEN_REQUEST`)
/// gets its client id and targets from its token; only the operator (`read_all`) may make
/// `BL_*` requests, which name them. VEN names are unique per client (409 otherwise), so that
/// one firm can neither take another's name nor learn which names exist; a resource belongs
/// to a VEN of its own client.
extension VTNService {
    static func venParts(_ request: Components.Schemas.VenRequest, grant g: VTNAuth.Grant) throws
        -> (clientID: String, name: String, targets: [String]?, attributes: [Components.Schemas.ValuesMap]?) {
        switch request {
        case .VenVenRequest(let v) where v.objectType == "BL_VEN_REQUEST" && !g.isOperator:
            throw VTNProblem.forbidden("BL_VEN_REQUEST is for the operator; a VEN registers itself with VEN_VEN_REQUEST")
        case .VenVenRequest(let v) where v.objectType == "VEN_VEN_REQUEST":
            return (g.clientID, v.venName, g.targets.isEmpty ? nil : g.targets, v.attributes)
        case .BlVenRequest(let v) where v.objectType == "BL_VEN_REQUEST":
            guard g.isOperator else { throw VTNProblem.forbidden("BL_VEN_REQUEST is for the operator; a VEN registers itself with VEN_VEN_REQUEST") }
            return (v.clientID, v.venName, v.targets, v.attributes)
        case .VenVenRequest(let v):
            throw VTNProblem.badRequest("objectType '\(v.objectType)': expected VEN_VEN_REQUEST or BL_VEN_REQUEST")
        case .BlVenRequest(let v):
            throw VTNProblem.badRequest("objectType '\(v.objectType)': expected VEN_VEN_REQUEST or BL_VEN_REQUEST")
        }
    }

    static func ven(_ m: Components.Schemas.ObjectMetadata, _ p: (clientID: String, name: String, targets: [String]?,
                                                                  attributes: [Components.Schemas.ValuesMap]?)) -> Components.Schemas.Ven {
        .init(value1: m, value2: .init(objectType: "VEN", clientID: p.clientID, targets: p.targets, venName: p.name, attributes: p.attributes))
    }

    public func searchVens(_ input: Operations.SearchVens.Input) async throws -> Operations.SearchVens.Output {
        let g = try grant
        let q = input.query
        let all = store.state.withLockedValue { $0.vens }.filter { v in
            owned(v.value2.clientID, by: g) && (q.venName == nil || v.value2.venName == q.venName)
                && (q.targets == nil || Set(q.targets!).isSubset(of: Set(v.value2.targets ?? [])))
        }
        return .ok(.init(body: .json(try VTNQuery.page(all, skip: q.skip, limit: q.limit))))
    }

    public func createVen(_ input: Operations.CreateVen.Input) async throws -> Operations.CreateVen.Output {
        let g = try grant
        guard case .json(let request) = input.body else { throw VTNProblem.badRequest("a VEN (JSON) is required") }
        let parts = try Self.venParts(request, grant: g)
        try VTNValidation.name(parts.name, "venName")
        let metadata = store.metadata(.ven)
        let v = try store.mutate { s -> Components.Schemas.Ven in
            let own = s.vens.filter { $0.value2.clientID == parts.clientID }
            if own.contains(where: { $0.value2.venName == parts.name }) { throw VTNProblem.conflict("this client has a VEN named '\(parts.name)'") }
            guard own.count < VTNLimits.vensPerClient else { throw VTNProblem.conflict("\(parts.clientID) holds \(VTNLimits.vensPerClient) VENs, the most a client may") }
            let v = Self.ven(metadata, parts)
            s.vens.append(v)
            return v
        }
        return .created(.init(body: .json(v)))
    }

    public func searchVenByID(_ input: Operations.SearchVenByID.Input) async throws -> Operations.SearchVenByID.Output {
        let g = try grant
        return .ok(.init(body: .json(try store.find(\.vens, input.path.venID, "VEN") { owned($0.value2.clientID, by: g) })))
    }

    public func updateVen(_ input: Operations.UpdateVen.Input) async throws -> Operations.UpdateVen.Output {
        let g = try grant
        guard case .json(let request) = input.body else { throw VTNProblem.badRequest("a VEN (JSON) is required") }
        let parts = try Self.venParts(request, grant: g)
        try VTNValidation.name(parts.name, "venName")
        let id = input.path.venID
        // Checked and changed under the store's lock: two renames at once cannot both pass.
        let v = try store.mutate { s -> Components.Schemas.Ven in
            guard let k = s.vens.firstIndex(where: { $0.value1.id == id && owned($0.value2.clientID, by: g) }) else { throw VTNProblem.notFound("no VEN \(id)") }
            if s.vens.contains(where: { $0.value1.id != id && $0.value2.clientID == parts.clientID && $0.value2.venName == parts.name }) {
                throw VTNProblem.conflict("this client has a VEN named '\(parts.name)'")
            }
            s.vens[k] = Self.ven(VTNStore.touched(s.vens[k].value1), parts)
            return s.vens[k]
        }
        return .ok(.init(body: .json(v)))
    }

    public func deleteVen(_ input: Operations.DeleteVen.Input) async throws -> Operations.DeleteVen.Output {
        let g = try grant
        let id = input.path.venID
        return .ok(.init(body: .json(try store.remove(\.vens, id, "VEN", allowed: { owned($0.value2.clientID, by: g) }) {
            $0.resources.removeAll { $0.value2.venID == id }
        })))
    }

    // MARK: Resources

    static func resourceParts(_ request: Components.Schemas.ResourceRequest, grant g: VTNAuth.Grant) throws
        -> Components.Schemas.BlResourceRequest {
        switch request {
        case .VenResourceRequest(let r) where r.objectType == "BL_RESOURCE_REQUEST" && !g.isOperator:
            _ = r
            throw VTNProblem.forbidden("BL_RESOURCE_REQUEST is for the operator; a VEN uses VEN_RESOURCE_REQUEST")
        case .BlResourceRequest(let r) where r.objectType == "BL_RESOURCE_REQUEST":
            guard g.isOperator else { throw VTNProblem.forbidden("BL_RESOURCE_REQUEST is for the operator; a VEN uses VEN_RESOURCE_REQUEST") }
            return .init(objectType: "RESOURCE", clientID: r.clientID, targets: r.targets, resourceName: r.resourceName, venID: r.venID,
                         attributes: r.attributes)
        case .VenResourceRequest(let r) where r.objectType == "VEN_RESOURCE_REQUEST":
            return .init(objectType: "RESOURCE", clientID: g.clientID, targets: nil, resourceName: r.resourceName, venID: r.venID,
                         attributes: r.attributes)
        case .BlResourceRequest(let r):
            throw VTNProblem.badRequest("objectType '\(r.objectType)': expected BL_RESOURCE_REQUEST or VEN_RESOURCE_REQUEST")
        case .VenResourceRequest(let r):
            throw VTNProblem.badRequest("objectType '\(r.objectType)': expected BL_RESOURCE_REQUEST or VEN_RESOURCE_REQUEST")
        }
    }

    public func searchVenResources(_ input: Operations.SearchVenResources.Input) async throws -> Operations.SearchVenResources.Output {
        let g = try grant
        let q = input.query
        let all = store.state.withLockedValue { $0.resources }.filter { r in
            owned(r.value2.clientID, by: g) && (q.venID == nil || r.value2.venID == q.venID)
                && (q.resourceName == nil || r.value2.resourceName == q.resourceName)
                && (q.targets == nil || Set(q.targets!).isSubset(of: Set(r.value2.targets ?? [])))
        }
        return .ok(.init(body: .json(try VTNQuery.page(all, skip: q.skip, limit: q.limit))))
    }

    public func createResource(_ input: Operations.CreateResource.Input) async throws -> Operations.CreateResource.Output {
        let g = try grant
        guard case .json(let request) = input.body else { throw VTNProblem.badRequest("a resource (JSON) is required") }
        let body = try Self.resourceParts(request, grant: g)
        try VTNValidation.name(body.resourceName, "resourceName")
        let metadata = store.metadata(.resource)
        let r = try store.mutate { s -> Components.Schemas.Resource in
            guard s.vens.contains(where: { $0.value1.id == body.venID && $0.value2.clientID == body.clientID && owned($0.value2.clientID, by: g) }) else {
                throw VTNProblem.badRequest("venID \(body.venID) names no VEN of this client")
            }
            guard s.resources.filter({ $0.value2.clientID == body.clientID }).count < VTNLimits.resourcesPerClient else {
                throw VTNProblem.conflict("\(body.clientID) holds \(VTNLimits.resourcesPerClient) resources, the most a client may")
            }
            let r = Components.Schemas.Resource(value1: metadata, value2: body)
            s.resources.append(r)
            return r
        }
        return .created(.init(body: .json(r)))
    }

    public func searchVenResourceByID(_ input: Operations.SearchVenResourceByID.Input) async throws
        -> Operations.SearchVenResourceByID.Output {
        let g = try grant
        return .ok(.init(body: .json(try store.find(\.resources, input.path.resourceID, "resource") { owned($0.value2.clientID, by: g) })))
    }

    public func updateVenResource(_ input: Operations.UpdateVenResource.Input) async throws -> Operations.UpdateVenResource.Output {
        let g = try grant
        guard case .json(let request) = input.body else { throw VTNProblem.badRequest("a resource (JSON) is required") }
        let body = try Self.resourceParts(request, grant: g)
        try VTNValidation.name(body.resourceName, "resourceName")
        let id = input.path.resourceID
        let r = try store.mutate { s -> Components.Schemas.Resource in
            guard let k = s.resources.firstIndex(where: { $0.value1.id == id && owned($0.value2.clientID, by: g) }) else {
                throw VTNProblem.notFound("no resource \(id)")
            }
            guard s.vens.contains(where: { $0.value1.id == body.venID && $0.value2.clientID == body.clientID && owned($0.value2.clientID, by: g) }) else {
                throw VTNProblem.badRequest("venID \(body.venID) names no VEN of this client")
            }
            s.resources[k] = .init(value1: VTNStore.touched(s.resources[k].value1), value2: body)
            return s.resources[k]
        }
        return .ok(.init(body: .json(r)))
    }

    public func deleteVenResource(_ input: Operations.DeleteVenResource.Input) async throws -> Operations.DeleteVenResource.Output {
        let g = try grant
        return .ok(.init(body: .json(try store.remove(\.resources, input.path.resourceID, "resource") { owned($0.value2.clientID, by: g) })))
    }
}
