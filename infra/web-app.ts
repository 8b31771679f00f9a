// Long on purpose (~255 lines): the bucket, its deployment, the distribution, its origin access control
// and headers policy refer to one another; the headers' values live in src/web-app/app-config.ts.
import { cpSync } from 'node:fs';
import {
  AssetHashType,
  BOOTSTRAP_QUALIFIER_CONTEXT,
  CfnOutput,
  type CfnResource,
  DefaultStackSynthesizer,
  DockerImage,
  Duration,
  Lazy,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import {
  Distribution,
  HeadersFrameOption,
  type HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import {
  type AppConfig,
  CALLBACK_PATH,
  contentSecurityPolicy,
  HSTS_SECONDS,
  REFERRER_POLICY,
} from '../src/web-app/app-config.js';
import { appSourceHash, buildAppSync, isBuiltFrom, WEB_DIR, WEB_DIST } from '../src/web-app/build.js';
import { accountWideNamesOf } from './stage-settings.js';

export interface WebAppProps {
  /** Names its account-wide CloudFront resources, with the region (accountWideNamesOf). */
  readonly stage: string;
  readonly removeOnDestroy: boolean;
  /** For the log group of CDK's upload function, like every other log group of the stack. */
  readonly logRetentionDays: number;
}

/**
 * The web app on AWS: a private bucket that only this distribution may read (origin access control), the
 * security headers on every answer, and the built app deployed with a `config.json` made of the stack's own
 * values. It lives in the API stack because each side needs the other: the CSP names the API's origin and
 * the API's CORS names the distribution's (two stacks would reference each other).
 */
export class WebApp extends Construct {
  readonly distribution: Distribution;
  /** `https://<id>.cloudfront.net`: the app's origin, for CORS and the Cognito callback. */
  readonly origin: string;
  readonly callbackUrl: string;
  private readonly bucket: Bucket;
  private readonly props: WebAppProps;
  private readonly originsToCall: string[] = [];

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    this.props = props;
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removeOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: props.removeOnDestroy,
    });
    const names = accountWideNamesOf(props.stage, Stack.of(this).region);
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: names.responseHeadersPolicy,
      comment: 'Task board: strict CSP (self, the API, Cognito), HSTS, nosniff, referrer policy',
      securityHeadersBehavior: {
        // Resolved at synth, after `deploy` has named the origins the app calls.
        contentSecurityPolicy: {
          contentSecurityPolicy: Lazy.string({ produce: () => contentSecurityPolicy(this.originsToCall) }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS_SECONDS),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICY as HeadersReferrerPolicy, override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      },
    });
    this.distribution = new Distribution(this, 'Cdn', {
      comment: 'Task board web app',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originAccessControl: new S3OriginAccessControl(this, 'OriginAccess', {
            originAccessControlName: names.originAccessControl,
          }),
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        compress: true,
      },
      defaultRootObject: 'index.html',
      // The sign-in callback is a page of the app, not a file: S3 answers 403 for a key it does not hold.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.callbackUrl = `${this.origin}${CALLBACK_PATH}`;
    if (props.removeOnDestroy) this.logAutoDeleteTo(props.logRetentionDays);
    this.acknowledgeFindings();
    new CfnOutput(scope, 'AppUrl', { value: `${this.origin}/`, description: 'The task board web app' });
  }

  /**
   * Uploads the built app and its config.json (CDK tokens, resolved at deploy time), and lets the CSP call
   * exactly `originsToCall`. The upload invalidates the distribution so the new build is served at once.
   */
  deploy(config: AppConfig, originsToCall: readonly string[]): void {
    this.originsToCall.push(...originsToCall);
    const app = Source.asset(WEB_DIR, {
      assetHash: appSourceHash(),
      assetHashType: AssetHashType.CUSTOM,
      bundling: {
        // Never used: local bundling always answers (Vite, or the fresh build `npm start` left in web/dist).
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
        local: {
          tryBundle(outputDir) {
            if (isBuiltFrom(appSourceHash())) cpSync(WEB_DIST, outputDir, { recursive: true });
            else buildAppSync(outputDir);
            return true;
          },
        },
      },
    });
    const deployment = new BucketDeployment(this, 'Deploy', {
      sources: [app, Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      // index.html and config.json change in place; the hashed assets never do, and revalidation is cheap.
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // Every object is no-cache, so the invalidation only hurries the edge; waiting for it would let CloudFront's
      // intermittent "Waiter InvalidationCompleted failed" (aws-cdk#15891) roll back the whole API stack.
      waitForDistributionInvalidation: false,
      memoryLimit: 256,
      logGroup: new LogGroup(this, 'DeployLogs', {
        retention: this.props.logRetentionDays as RetentionDays,
        removalPolicy: this.props.removeOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      }),
    });
    // CDK's upload function (one per stack): its role sits inside it, so this covers the function and the role.
    Validations.of(deployment.handlerRole.node.scope as Construct).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "AWSLambdaBasicExecutionRole only lets CDK's upload function write its own logs.",
      },
      ...this.uploadFindings().map((finding) => ({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          "CDK's BucketDeployment grant: read the app's zip from the CDK assets bucket, copy and prune objects " +
          "in the app's bucket, and invalidate the distribution after the upload (CloudFront's " +
          "CreateInvalidation is granted on '*'). No wildcard reaches beyond those.",
      })),
      {
        id: 'AwsSolutions-L1',
        reason: "CDK's BucketDeployment pins its handler's runtime; it moves with the aws-cdk-lib version.",
      },
    );
  }

  /**
   * CDK's function that empties the bucket on destroy (one per stack) logs to a group of ours, with the
   * stack's retention, rather than one Lambda would create on its first run and keep forever.
   */
  private logAutoDeleteTo(retentionDays: number): void {
    const provider = Stack.of(this).node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider');
    const handler = provider?.node.tryFindChild('Handler') as CfnResource | undefined;
    if (!handler) throw new Error("autoDeleteObjects' provider has moved: look up its handler again");
    const logs = new LogGroup(this, 'AutoDeleteLogs', {
      retention: retentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    handler.addPropertyOverride('LoggingConfig', { LogGroup: logs.logGroupName });
  }

  /** cdk-nag names each wildcard of CDK's upload grant, with the account and region where they are known. */
  private uploadFindings(): string[] {
    const stack = Stack.of(this);
    const known = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
    const qualifier =
      this.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const assets = `cdk-${qualifier}-assets-${known(stack.account, '<AWS::AccountId>')}-${known(stack.region, '<AWS::Region>')}`;
    const bucket = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    return [
      ...['Abort*', 'DeleteObject*', 'GetBucket*', 'GetObject*', 'List*'].map(
        (action) => `Action::s3:${action}`,
      ),
      `Resource::arn:${known(stack.partition, '<AWS::Partition>')}:s3:::${assets}/*`,
      `Resource::<${bucket}.Arn>/*`,
      'Resource::*',
    ];
  }

  private acknowledgeFindings(): void {
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public build of the app, read through CloudFront; requests are visible in ' +
        'CloudFront metrics, and server access logs would need a log bucket of their own.',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The task board serves its users wherever they are; no geographic restriction applies.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves static files only; a CloudFront web ACL would bill monthly even when idle. ' +
          'The API it calls has its own throttling, authorizer and per-caller WAF rule (infra/rate-limit.ts).',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Static files only: CloudFront metrics suffice, and standard logs would need a log bucket with ACLs ' +
          'enabled. Turn them on per stage if request-level records are needed.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate allows only the TLS policy CloudFront sets for it; a ' +
          'custom domain with its own certificate can require TLSv1.2_2021.',
      },
    );
  }
}
