"""Writes the Open3D FPFH fixture used by Tests/AD3DKitTests/BaselinesOpen3DTests.swift.

Run: python3 Scripts/fpfh_reference.py  (needs `pip install open3d numpy`).

The fixture is a bumpy sphere of 300 points plus three outliers (one isolated point and an
isolated pair, which exercise Open3D's "fewer than 3 neighbours" and "only one neighbour" rules).
Everything is float32 on disk; Open3D computes in float64 from the float32 values, as ad3d does.

Files in Tests/AD3DKitTests/Resources/baselines/:
  fpfh_points.npy          [N, 3]  the cloud
  fpfh_normals.npy         [N, 3]  Open3D estimate_normals (hybrid radius/max_nn), unoriented
  fpfh_features.npy        [N, 33] Open3D compute_fpfh_feature with those (float32-rounded) normals
  voxel_points.npy         [M, 3]  Open3D voxel_down_sample, rows sorted lexicographically
  fpfh_parameters.json     the radii, neighbour caps and voxel size
"""

import json
import os

import numpy as np
import open3d as o3d

NORMAL_RADIUS = 0.45
NORMAL_MAX_NN = 10
FEATURE_RADIUS = 0.7
FEATURE_MAX_NN = 20
VOXEL_SIZE = 0.15


def fixture_cloud() -> np.ndarray:
    rng = np.random.default_rng(20240611)
    directions = rng.normal(size=(300, 3))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    theta = np.arccos(directions[:, 2])
    phi = np.arctan2(directions[:, 1], directions[:, 0])
    radius = 1.0 + 0.08 * np.sin(3 * theta) * np.cos(2 * phi)
    points = directions * radius[:, None] + rng.normal(scale=0.01, size=(300, 3))
    outliers = np.array([[4.0, 0.0, 0.0], [0.0, 5.0, 0.0], [0.0, 5.2, 0.1]])
    return np.concatenate([points, outliers]).astype(np.float32)


def main() -> None:
    out = os.path.join(os.path.dirname(__file__), "..", "Tests", "AD3DKitTests", "Resources", "baselines")
    os.makedirs(out, exist_ok=True)
    points = fixture_cloud()
    cloud = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(points.astype(np.float64)))
    cloud.estimate_normals(o3d.geometry.KDTreeSearchParamHybrid(radius=NORMAL_RADIUS, max_nn=NORMAL_MAX_NN))
    normals = np.asarray(cloud.normals).astype(np.float32)
    # FPFH from exactly the normals the Swift test reads back.
    cloud.normals = o3d.utility.Vector3dVector(normals.astype(np.float64))
    fpfh = o3d.pipelines.registration.compute_fpfh_feature(
        cloud, o3d.geometry.KDTreeSearchParamHybrid(radius=FEATURE_RADIUS, max_nn=FEATURE_MAX_NN))
    features = np.asarray(fpfh.data).T.astype(np.float32)
    voxels = np.asarray(cloud.voxel_down_sample(VOXEL_SIZE).points).astype(np.float32)
    voxels = voxels[np.lexsort((voxels[:, 2], voxels[:, 1], voxels[:, 0]))]

    np.save(os.path.join(out, "fpfh_points.npy"), points)
    np.save(os.path.join(out, "fpfh_normals.npy"), normals)
    np.save(os.path.join(out, "fpfh_features.npy"), features)
    np.save(os.path.join(out, "voxel_points.npy"), voxels)
    parameters = {
        "open3d": o3d.__version__,
        "normalRadius": NORMAL_RADIUS, "normalMaxNeighbors": NORMAL_MAX_NN,
        "featureRadius": FEATURE_RADIUS, "featureMaxNeighbors": FEATURE_MAX_NN,
        "voxelSize": VOXEL_SIZE,
    }
    with open(os.path.join(out, "fpfh_parameters.json"), "w") as f:
        json.dump(parameters, f, indent=2)
        f.write("\n")
    print(f"{len(points)} points, {len(voxels)} voxels, open3d {o3d.__version__}")


if __name__ == "__main__":
    main()
