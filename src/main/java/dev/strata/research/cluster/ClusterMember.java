package dev.strata.research.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.strata.StrataException;

/**
 * An embedded Hazelcast member on loopback: TCP-IP join to explicit addresses, no multicast, no
 * phone-home, logging off, so a research cluster never reaches beyond the machine unless told to.
 */
public final class ClusterMember {
    public static final String CLUSTER = "strata-research";

    private ClusterMember() {}

    /** Starts a member listening on {@code port} (0 = pick a free one from 5701) that joins {@code join} ("host:port"), or forms a cluster when null. */
    public static HazelcastInstance start(String host, int port, String join, String clusterName) {
        Config config = new Config().setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "60");
        config.getJetConfig().setEnabled(false);
        NetworkConfig net = config.getNetworkConfig();
        net.setPort(port == 0 ? 5701 : port).setPortAutoIncrement(port == 0);
        net.getInterfaces().setEnabled(true).addInterface(host);
        JoinConfig joinConfig = net.getJoin();
        joinConfig.getMulticastConfig().setEnabled(false);
        joinConfig.getAutoDetectionConfig().setEnabled(false);
        joinConfig.getTcpIpConfig().setEnabled(true).addMember(join != null ? join : host);
        try {
            return Hazelcast.newHazelcastInstance(config);
        } catch (RuntimeException e) {
            throw new StrataException("cannot start a cluster member on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
