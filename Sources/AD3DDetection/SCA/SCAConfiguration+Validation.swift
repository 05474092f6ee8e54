import AD3DSupport

extension SCAConfiguration {
    /// Throws for the first field a model cannot be scored with: sizes and budgets out of range,
    /// non-finite or non-positive scales and standard deviations, fractions outside (0, 1].
    /// Called on every model load, so a corrupt file is refused instead of scoring wrongly.
    public func validate() throws {
        let fields = ConfigurationFields()
        try ScanEncoder.validate(encoder: encoder, frame: frame, encodedPoints: encodedPoints)
        let augmentationFields = fields.nested("augmentation")
        try augmentationFields.real(augmentation.maximumTiltDegrees, "maximumTiltDegrees", in: 0...180)
        try augmentationFields.real(augmentation.scaleRange, "scaleRange", in: 0...0.5)
        try augmentationFields.real(augmentation.jitter, "jitter", in: 0...1)
        try fields.count(augmentationsPerScan, "augmentationsPerScan", in: 0...1000)
        if let reason = head.invalidReason {
            throw ConfigurationFieldError(field: "head", value: "invalid", requirement: "valid: \(reason)")
        }
        let headFields = fields.nested("head")
        for (name, value) in [
            ("adaptorHiddenDimensions", head.adaptorHiddenDimensions), ("adaptedDimensions", head.adaptedDimensions),
            ("modelDimensions", head.modelDimensions), ("prototypeCount", head.prototypeCount),
            ("positionHiddenDimensions", head.positionHiddenDimensions), ("mlpRatio", head.mlpRatio),
        ] {
            try headFields.count(value, name, in: 1...65_536)
        }
        try headFields.count(head.blockCount, "blockCount", in: 0...64)
        try headFields.count(head.sinkhornIterations, "sinkhornIterations", in: 1...100_000)
        try fields.nested("interpolation").count(interpolation.neighbors, "neighbors", in: 1...256)
        for (name, value) in [("statistics", statistics), ("memoryStatistics", memoryStatistics),
                              ("surfaceStatistics", surfaceStatistics)] {
            try fields.nested(name).real(value.mean, "mean", in: -1e30...1e30)
            try fields.nested(name).positive(value.standardDeviation, "standardDeviation", atMost: 1e30)
        }
        try fields.require(memoryRatio > 0 && memoryRatio <= 1, "memoryRatio", value: "\(memoryRatio)", "in (0, 1]")
        try fields.real(memoryPositionWeight, "memoryPositionWeight", in: 0...1e6)
        try fields.real(trainingArea, "trainingArea", in: 0...1e30)
    }
}
